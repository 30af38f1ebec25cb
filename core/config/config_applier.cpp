#include "core/config/config_applier.h"

namespace gamesched {
namespace {

// Every tunable of state in wire form (microseconds, percent), taken from its status report so
// that the mapping to the BPF struct lives in one place.
ipc::Tunables current_tunables(const SchedulerState& state) {
    const auto report = state.to_json().at("tunables");
    ipc::Tunables out;
    for (const auto& range : ipc::kTunableRanges) {
        out.*range.member = report.at(std::string(range.name)).get<std::uint64_t>();
    }
    out.preempt_enabled = report.at("preempt_enabled").get<bool>();
    return out;
}

ipc::Tunables defaults_in_wire_form(ipc::Mode mode) {
    SchedulerState scratch;  // never bound to maps: a calculator for the mode's defaults
    (void)scratch.set_mode(mode);
    return current_tunables(scratch);
}

// The fields of next that differ from before: set ones to next's value, cleared ones to the
// mode's default.
ipc::Tunables changed_fields(const ipc::Tunables& before, const ipc::Tunables& next,
                             const ipc::Tunables& defaults) {
    ipc::Tunables changes;
    for (const auto& range : ipc::kTunableRanges) {
        const auto& was = before.*range.member;
        const auto& now = next.*range.member;
        if (was != now) changes.*range.member = now ? now : defaults.*range.member;
    }
    if (before.preempt_enabled != next.preempt_enabled) {
        changes.preempt_enabled = next.preempt_enabled ? next.preempt_enabled : defaults.preempt_enabled;
    }
    return changes;
}

// Puts state back to a mode and full set of tunables captured earlier.
void restore(SchedulerState& state, ipc::Mode mode, const ipc::Tunables& tunables) {
    (void)state.set_mode(mode);
    (void)state.set_tunables(tunables);
}

}  // namespace

Status ConfigApplier::apply_initial(const CoreConfig& config, SchedulerState& state) {
    applied_ = {};
    return apply_reload(config, state);
}

Status ConfigApplier::apply_reload(const CoreConfig& next, SchedulerState& state) {
    const ipc::Mode old_mode = state.mode();
    const ipc::Tunables old_tunables = current_tunables(state);
    const ipc::Mode mode = next.mode.value_or(ipc::Mode::auto_);
    const bool mode_changed = next.mode != applied_.mode;
    ipc::Tunables changes =
        mode_changed ? next.tunables
                     : changed_fields(applied_.tunables, next.tunables, defaults_in_wire_form(mode));
    if (mode_changed) {
        if (auto st = state.set_mode(mode); !st) {
            restore(state, old_mode, old_tunables);
            return st;
        }
    }
    if (auto st = state.set_tunables(changes); !st) {
        restore(state, old_mode, old_tunables);
        return st;
    }
    applied_ = next;
    return Ok{};
}

std::string ConfigApplier::describe(const CoreConfig& config) {
    std::string out;
    auto add = [&](const std::string& key, const std::string& value) {
        out += (out.empty() ? "" : ", ") + key + " " + value;
    };
    if (config.mode) add("mode", std::string(ipc::mode_name(*config.mode)));
    for (const auto& [key, value] : config_assignments(config.tunables)) add(key, value);
    return out.empty() ? "defaults" : out;
}

}  // namespace gamesched
