# The README's demo, run in the lab's dom0 by `tests/lab/xlite-lab demo`.
set -e
echo "== xlite info"
xlite info
echo "== a tiny guest started with xl"
printf 'name="demo-xl"\nkernel="%s/tiny.bin"\nmemory=16\n' "$LAB_GUESTS" >/tmp/demo-xl.cfg
xl create -q /tmp/demo-xl.cfg
echo "== xlite list"
xlite list
xl destroy demo-xl
