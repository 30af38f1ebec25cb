# The guest side of the GS-CHECK protocol that tests/vm/console.sh reads on the host (POSIX sh:
# sourced by the initramfs scenarios' lib.sh and by the full-system checks). Set GS_AREA to
# prefix each line with the area a check belongs to.
GS_FAILED=0

pass() { echo "GS-CHECK PASS ${GS_AREA:+$GS_AREA: }$*"; }
fail() { echo "GS-CHECK FAIL ${GS_AREA:+$GS_AREA: }$*"; GS_FAILED=1; }
check() { # check "description" command...
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
info() { echo "GS-INFO ${GS_AREA:+$GS_AREA: }$*"; }
