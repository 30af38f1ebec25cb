// A test-only switch of the helpers (--sandbox-selftest PID): after confining itself, the helper
// tries what a compromised helper would try first and reports what the kernel answered. The test
// suite runs the real binary with it, so the sandbox is checked as shipped, not a copy of it.
#pragma once

#include <sys/types.h>

#include <string>

namespace gamesched::sandbox {

// Tries, in order: creating ~/.config/autostart and writing ~/.config/autostart/x.desktop,
// prlimit64 (lowering RLIMIT_NOFILE to 16) on other_pid, kill(other_pid, 0). Prints one JSON object per
// attempt on stdout
// ({"attempt":…,"result":"EPERM"|"EACCES"|…|"allowed"}). Returns 0 when every attempt was
// refused, 3 when any succeeded.
int probe_escapes(pid_t other_pid, const std::string& home);

}  // namespace gamesched::sandbox
