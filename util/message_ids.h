// The journal's MESSAGE_IDs of gamesched's key events, documented in docs/journal.md (one row per
// ID: when it is logged, its fields). Generated once at random; never change one, add a new one.
#pragma once

namespace gamesched::message_id {

// The scheduler attached and the kernel reports state=enabled with our ops.
inline constexpr const char* kAttached = "6c1d2f4e8a7b4e0f9d35c1a2b7e8f901";
// Attached again after the kernel had ejected it.
inline constexpr const char* kReattached = "38c491efc8674bf2ae5e7a572cfe961f";
// The kernel stopped (ejected) the scheduler; GAMESCHED_EXIT_REASON carries the kernel's reason.
inline constexpr const char* kEjected = "0b9e7c52d4a94f1d8e6a3c5b2f1d7e44";
// The core detached the scheduler itself (SIGTERM, a stop request, the end of a run).
inline constexpr const char* kDetached = "d6b0f3b10daa4581869955e0bbb8aaa9";
// Attaching failed (at start or on a re-attach attempt).
inline constexpr const char* kAttachFailed = "e3a1c7d95b2f4a6e9c8d7b1a4f2e6c30";
// Ejections kept coming back: the core stays on the fair class and exits non-zero.
inline constexpr const char* kGaveUp = "435db8623fa3434db1faf42a43115146";
// SysRq-S or a stop request: off until an administrator starts it again.
inline constexpr const char* kStoppedByUser = "8f623a856d504a1fb76e441c4a9ad129";
// A process became a game / stopped being one.
inline constexpr const char* kGameRegistered = "803dfdb0d3984235b2ccc0ca9e3ed0d2";
inline constexpr const char* kGameLeft = "064523b4d0e64e5e894c0f7e602707c6";
// A hint was refused; beyond the rate limit, one summary line per window.
inline constexpr const char* kHintRefused = "0469058395ae490e999437f86d1026c8";
// gamesched.conf applied (at start or on reload), or refused because it is invalid.
inline constexpr const char* kConfigApplied = "95ab4c2c225b4e5a83d0fb7116e759b9";
inline constexpr const char* kConfigInvalid = "57df9ee0175a4f8ebad778ed864ddd47";
// A rate-limited category dropped messages; GAMESCHED_SUPPRESSED says how many.
inline constexpr const char* kLogsSuppressed = "34c85f749618409194e69b22cf65e4af";

}  // namespace gamesched::message_id
