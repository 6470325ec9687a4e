# Three rounds of 40-devices.sh's device cycle in one boot, each checking
# right after detach and destroy that loop devices and vifs are gone (the
# 20-round version: tests/lab/soak-devices.sh, outside the default run).
ROUNDS=3
. "$(dirname "$0")/../src/tests/lab/scenarios/devices-cycle.inc"
