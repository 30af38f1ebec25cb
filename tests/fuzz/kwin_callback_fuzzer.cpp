// libFuzzer target for what gamesched-kwin does with KWin's FocusChanged(pid, resource_class)
// callbacks: the report built from the arguments, the coalescer, and the JSON line printed for
// it (as FocusHelper::forward does, with no X server to name pid-less windows). The input is a
// sequence of callbacks: 4 bytes pid, 1 byte time step (ms), 1 byte class length / 8, then the
// class bytes. Checks: a class never exceeds its bound nor differs from the start of what KWin
// sent, nothing without a pid is forwarded, the same pid is never forwarded twice in a row, and
// every printed line is one JSON object naming the forwarded pid.
// Inputs are bounded to 2 KiB (FUZZ_MAX_LEN in meson.build and long-run.sh): that holds a class
// eight times over its 256-byte bound, or some 340 callbacks; longer inputs only repeat states
// (one pending report, the last forwarded pid) at a quarter of the speed (≈ 500 against ≈ 2,100
// executions/s here).
#include "helpers/kwin/focus_coalescer.h"
#include "helpers/kwin/json_lines_sink.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

using namespace gamesched::kwin;

namespace {

// What FocusHelper::forward does with a due report, minus the X server lookup.
void forward(FocusCoalescer& coalescer, const FocusReport& report, pid_t& last) {
    if (report.pid <= 0 || !coalescer.mark_forwarded(report.pid)) return;
    if (report.pid == last) __builtin_trap();
    last = report.pid;
    const std::string line = JsonLinesSink::format(report);
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) __builtin_trap();
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) __builtin_trap();
    if (parsed.value("pid", 0) != report.pid || parsed.value("event", "") != "focus_changed")
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FocusCoalescer coalescer(std::chrono::milliseconds(50));
    FocusCoalescer::Clock::time_point now{};
    pid_t last_forwarded = 0;
    std::size_t at = 0;
    while (size - at >= 6) {
        std::int32_t pid = 0;
        std::memcpy(&pid, data + at, sizeof pid);
        now += std::chrono::milliseconds(data[at + 4]);
        const std::size_t length = std::min<std::size_t>(data[at + 5] * 8U, size - at - 6);
        const std::string_view resource_class(reinterpret_cast<const char*>(data + at + 6), length);
        at += 6 + length;

        FocusReport report = report_from_callback(pid, resource_class);
        if (report.resource_class.size() > kMaxResourceClassBytes) __builtin_trap();
        if (resource_class.substr(0, report.resource_class.size()) != report.resource_class) __builtin_trap();
        if (report.pid < 0 || (pid > 0 && report.pid != pid)) __builtin_trap();
        coalescer.offer(std::move(report), now);
        if (auto due = coalescer.take_due(now)) forward(coalescer, *due, last_forwarded);
    }
    if (const auto deadline = coalescer.deadline()) {
        if (auto due = coalescer.take_due(*deadline)) forward(coalescer, *due, last_forwarded);
    }
    return 0;
}
