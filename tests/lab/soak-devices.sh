# 20 rounds of 40-devices.sh's device cycle in one lab boot (about 10-15
# minutes under TCG, so not in tests/run-all's default scenarios; 3 rounds
# are, as scenarios/42-devices-soak.sh):
#   XLITE_LAB_FILE_TIMEOUT=2400 XLITE_LAB_TIMEOUT=2700 \
#     tests/lab/xlite-lab run tests/lab/soak-devices.sh
# Ends with "20 rounds, N failures".
ROUNDS=20
. "$(dirname "$0")/../src/tests/lab/scenarios/devices-cycle.inc"
