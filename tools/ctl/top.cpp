// gameschedctl top: the live view (live_view.h) on an ncurses screen, refreshed every interval;
// keys change the mode and quit. --plain prints the same lines as text once per interval, for
// logs and for terminals nobody watches (./run demo).
#include "tools/ctl/live_commands.h"
#include "tools/ctl/live_view.h"

#include "ipc/reply_codec.h"

#include <ncurses.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

namespace gamesched::ctl {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kKeys = "q quit   0 auto  1 gaming  2 powersave  3 lowlatency  4 server   m next mode";

// The terminal belongs to ncurses between construction and destruction, whatever happens between.
class Screen {
public:
    Screen() {
        initscr();
        cbreak();
        noecho();
        keypad(stdscr, TRUE);
        curs_set(0);
        timeout(100);  // getch() waits at most 100 ms: keys feel immediate, refreshes stay on time
    }
    ~Screen() { endwin(); }
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    void draw(const std::vector<std::string>& lines, const std::string& status) {
        erase();
        const int rows = LINES, cols = COLS;
        for (int i = 0; i < static_cast<int>(lines.size()) && i < rows - 2; ++i) {
            if (i == 0) attron(A_BOLD);
            mvaddnstr(i, 0, lines[static_cast<std::size_t>(i)].c_str(), cols);
            if (i == 0) attroff(A_BOLD);
        }
        attron(A_REVERSE);
        mvaddnstr(rows - 2, 0, kKeys, cols);
        attroff(A_REVERSE);
        mvaddnstr(rows - 1, 0, status.c_str(), cols);
        refresh();
    }
};

std::optional<ipc::Mode> mode_for_key(int key, const std::string& current) {
    if (key >= '0' && key < '0' + ipc::kModeCount) return static_cast<ipc::Mode>(key - '0');
    if (key != 'm') return std::nullopt;
    const auto now = ipc::mode_from_name(current);
    const int next = now ? (static_cast<int>(*now) + 1) % ipc::kModeCount : 0;
    return static_cast<ipc::Mode>(next);
}

}  // namespace

Status run_top(ControlSource& source, const LiveCommand& command) {
    Screen screen;
    const auto period =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(command.interval_s));
    auto next_refresh = Clock::now();
    std::vector<std::string> lines;
    std::string status = "asking " + source.name() + " ...";
    std::string mode;
    for (long shown = 0; !command.count || shown < *command.count;) {
        if (Clock::now() >= next_refresh) {
            const auto asked = Clock::now();
            if (auto snapshot = source.snapshot()) {
                const LiveView view = make_live_view(*snapshot);
                mode = view.mode;
                lines = render(view, source.name(), COLS);
                // How fresh the screen is: a slow answer is the core's (or the bus's) latency.
                if (!status.starts_with("mode set")) {
                    const auto ms =
                        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
                    status = source.name() + " answered in " + std::to_string(ms.count()) + " ms";
                }
            } else {
                status = snapshot.error().message;
            }
            screen.draw(lines, status);
            // A slow answer delays the next refresh rather than bunching refreshes up afterwards.
            next_refresh = std::max(next_refresh + period, Clock::now());
            ++shown;
        }
        const int key = getch();
        if (key == 'q' || key == 'Q') break;
        if (key == KEY_RESIZE) screen.draw(lines, status);
        if (auto wanted = mode_for_key(key, mode)) {
            auto set = source.set_mode(*wanted);
            status = set ? "mode set to " + std::string(ipc::mode_name(*wanted)) : set.error().message;
            next_refresh = Clock::now();  // show the new mode at once
        }
    }
    return Ok{};
}

Status run_top_plain(ControlSource& source, const LiveCommand& command) {
    const auto period =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(command.interval_s));
    auto next = Clock::now();
    for (long shown = 0; !command.count || shown < *command.count; ++shown) {
        auto snapshot = source.snapshot();
        std::string text = "---\n";
        if (snapshot) {
            for (const auto& line : render(make_live_view(*snapshot), source.name(), 0)) text += line + "\n";
        } else {
            text += "gameschedctl: " + snapshot.error().message + "\n";
        }
        std::fputs(text.c_str(), stdout);
        if (std::fflush(stdout) != 0) return Ok{};  // the reader went away
        next = std::max(next + period, Clock::now());
        std::this_thread::sleep_until(next);
    }
    return Ok{};
}

}  // namespace gamesched::ctl
