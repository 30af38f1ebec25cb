// Compile-time checks of the BPF <-> userspace boundary (bpf/intf.h): the size and field offsets
// of every struct that crosses it, and the enum values ipc/ mirrors. The BPF side (clang, bpf
// target) and this side (C++, x86-64) must agree byte for byte; a field added, reordered or
// widened on one side fails the build here instead of corrupting a map at run time. Nothing in
// this file runs.
#include <cstddef>
#include <type_traits>

#include "bpf/intf.h"
#include "ipc/messages.h"

namespace gamesched {
namespace {

template <typename T>
constexpr bool kPlain = std::is_trivially_copyable_v<T>&& std::is_standard_layout_v<T>;

static_assert(kPlain<gs_tunables> && sizeof(gs_tunables) == 80);
static_assert(offsetof(gs_tunables, slice_ns) == 0 && offsetof(gs_tunables, slice_min_ns) == 8);
static_assert(offsetof(gs_tunables, lag_clamp_ns) == 16 && offsetof(gs_tunables, runtime_cap_ns) == 24);
static_assert(offsetof(gs_tunables, input_window_ns) == 32 && GS_NR_INPUT_CLASSES == 3);
static_assert(offsetof(gs_tunables, game_boost_pct) == 56 && offsetof(gs_tunables, focus_boost_pct) == 60);
static_assert(offsetof(gs_tunables, input_boost_pct) == 64 && offsetof(gs_tunables, preempt_enabled) == 68);
static_assert(offsetof(gs_tunables, mode) == 72 && offsetof(gs_tunables, pad) == 76);

static_assert(kPlain<gs_thread_info> && sizeof(gs_thread_info) == 64);
static_assert(offsetof(gs_thread_info, tgid) == 0 && offsetof(gs_thread_info, role) == 4);
static_assert(offsetof(gs_thread_info, avg_period_ns) == 8 && offsetof(gs_thread_info, avg_burst_ns) == 16);
static_assert(offsetof(gs_thread_info, input_wake_pct) == 24 && offsetof(gs_thread_info, nr_wakeups) == 28);
static_assert(offsetof(gs_thread_info, woken_by_peer_pct) == 32);
static_assert(offsetof(gs_thread_info, woken_by_render_pct) == 36);
static_assert(offsetof(gs_thread_info, wakes_peer_pct) == 40 && offsetof(gs_thread_info, forwards_pct) == 44);
static_assert(offsetof(gs_thread_info, comm) == 48 && GS_COMM_LEN == 16);

static_assert(kPlain<gs_name_hint> && sizeof(gs_name_hint) == 8 && offsetof(gs_name_hint, role) == 0);

static_assert(kPlain<gs_game> && sizeof(gs_game) == 16);
static_assert(offsetof(gs_game, since_ns) == 0 && offsetof(gs_game, owner_uid) == 8);

static_assert(kPlain<gs_proc_event> && sizeof(gs_proc_event) == 48);
static_assert(offsetof(gs_proc_event, ts_ns) == 0 && offsetof(gs_proc_event, kind) == 8);
static_assert(offsetof(gs_proc_event, pid) == 12 && offsetof(gs_proc_event, ppid) == 16);
static_assert(offsetof(gs_proc_event, uid) == 20 && offsetof(gs_proc_event, comm) == 24);
static_assert(offsetof(gs_proc_event, flags) == 40 && GS_PROC_SECURE_EXEC == 1);

static_assert(kPlain<gs_input_device> && sizeof(gs_input_device) == 8);
static_assert(offsetof(gs_input_device, input_class) == 0);

static_assert(kPlain<gs_input_state> && sizeof(gs_input_state) == 48);
static_assert(offsetof(gs_input_state, window_end_ns) == 0 && offsetof(gs_input_state, last_event_ns) == 24);

static_assert(kPlain<gs_wait_hist> && sizeof(gs_wait_hist) == 8 * GS_NR_ROLES * GS_WAIT_HIST_BUCKETS);
static_assert(GS_NR_ROLES == 6 && GS_WAIT_HIST_BUCKETS == 16);

static_assert(kPlain<gs_desktop_proc> && sizeof(gs_desktop_proc) == 8);
static_assert(offsetof(gs_desktop_proc, role) == 0 && offsetof(gs_desktop_proc, owner_uid) == 4);

static_assert(kPlain<gs_exit_info> && sizeof(gs_exit_info) == 16 + GS_EXIT_REASON_LEN + GS_EXIT_MSG_LEN);
static_assert(offsetof(gs_exit_info, kind) == 0 && offsetof(gs_exit_info, exit_code) == 8);
static_assert(offsetof(gs_exit_info, reason) == 16 && offsetof(gs_exit_info, msg) == 16 + GS_EXIT_REASON_LEN);

// Enums ipc/ mirrors: the mode numbers (scx_loader's), the process event kinds, desktop roles.
static_assert(static_cast<unsigned>(ipc::Mode::auto_) == GS_MODE_AUTO);
static_assert(static_cast<unsigned>(ipc::Mode::gaming) == GS_MODE_GAMING);
static_assert(static_cast<unsigned>(ipc::Mode::powersave) == GS_MODE_POWERSAVE);
static_assert(static_cast<unsigned>(ipc::Mode::lowlatency) == GS_MODE_LOWLATENCY);
static_assert(static_cast<unsigned>(ipc::Mode::server) == GS_MODE_SERVER);
static_assert(static_cast<unsigned>(ipc::ProcessEventKind::exec) == GS_PROC_EXEC);
static_assert(static_cast<unsigned>(ipc::ProcessEventKind::exit) == GS_PROC_EXIT);
static_assert(static_cast<unsigned>(ipc::DesktopRole::compositor) == GS_DESKTOP_COMPOSITOR);
static_assert(static_cast<unsigned>(ipc::DesktopRole::audio) == GS_DESKTOP_AUDIO);

// The built-in tunables are consistent (the cross-field rule set_tunables enforces, boosts capped).
constexpr gs_tunables kDefaults = GS_TUNABLES_DEFAULTS;
static_assert(kDefaults.slice_min_ns <= kDefaults.slice_ns && kDefaults.slice_min_ns > 0);
static_assert(kDefaults.lag_clamp_ns > 0 && kDefaults.runtime_cap_ns > 0);
static_assert(kDefaults.game_boost_pct <= 90 && kDefaults.focus_boost_pct <= 90 &&
              kDefaults.input_boost_pct <= 90);

}  // namespace
}  // namespace gamesched
