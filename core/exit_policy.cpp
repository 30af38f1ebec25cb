#include "core/exit_policy.h"

namespace gamesched {
namespace {

// Values of enum scx_exit_kind and SCX_ECODE_ACT_RESTART (kernel ABI, stable).
constexpr int64_t kExitUnreg = 64, kExitUnregBpf = 65, kExitUnregKern = 66, kExitSysrq = 67;
constexpr int64_t kExitError = 1024;
constexpr uint64_t kEcodeActRestart = 1ULL << 48;

}  // namespace

std::string exit_kind_name(int64_t kind) {
    switch (kind) {
        case 0:
            return "none";
        case 1:
            return "done";
        case kExitUnreg:
            return "unregistered from user space";
        case kExitUnregBpf:
            return "unregistered by the BPF scheduler";
        case kExitUnregKern:
            return "unregistered by the kernel";
        case kExitSysrq:
            return "disabled by SysRq-S";
        case 68:
            return "parent scheduler exited";
        case 69:
            return "parent scheduler killed";
        case kExitError:
            return "runtime error";
        case 1025:
            return "error raised by the BPF scheduler";
        case 1026:
            return "runnable task stall (watchdog)";
        case 1027:
            return "re-enqueue error";
        case 1028:
            return "rescue error";
        default:
            return "unknown kind " + std::to_string(kind);
    }
}

ExitDecision ReattachPolicy::decide(int64_t kind, int64_t exit_code, std::chrono::seconds attached_for) {
    if (attached_for >= kHealthyAfter) retries_ = 0;
    if ((static_cast<uint64_t>(exit_code) & kEcodeActRestart) != 0) {
        return {ExitAction::ReattachNow, std::chrono::milliseconds(0), "the kernel asked for a restart"};
    }
    if (kind == kExitSysrq) {
        return {ExitAction::StayOff, {}, "the user pressed SysRq-S; gamesched stays off until started again"};
    }
    if (kind < kExitError) {
        return {ExitAction::Stop, {}, exit_kind_name(kind)};
    }
    if (retries_ >= kMaxErrorRetries) {
        return {ExitAction::GiveUp,
                {},
                "ejected " + std::to_string(retries_ + 1) + " times in a row; staying on the fair class"};
    }
    auto delay = kFirstBackoff * (1 << retries_);
    ++retries_;
    return {ExitAction::ReattachBackoff, delay,
            "error ejection, re-attach attempt " + std::to_string(retries_) + " of " +
                std::to_string(kMaxErrorRetries)};
}

}  // namespace gamesched
