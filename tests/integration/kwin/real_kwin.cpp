#include "tests/integration/kwin/real_kwin.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gamesched::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kSystemKWin = "/usr/bin/kwin_wayland";
constexpr const char* kWaylandSocket = "gamesched-test-wayland";

void require_program(const std::string& path, const std::string& package) {
    if (::access(path.c_str(), X_OK) != 0) {
        throw std::runtime_error(path + " is missing: install the Debian package " + package +
                                 " (./run setup does it)");
    }
}

// The copy KWin runs from: same bytes, no security.capability attribute (what `setcap -r`
// removes). KWin finds its plugins through Qt's library paths, not next to the binary.
std::string copy_without_capability(const std::string& dir) {
    const std::string copy = dir + "/kwin_wayland";
    fs::copy_file(kSystemKWin, copy, fs::copy_options::overwrite_existing);
    if (::removexattr(copy.c_str(), "security.capability") != 0 && errno != ENODATA) {
        throw std::runtime_error("removing the file capability from " + copy + ": " + std::strerror(errno));
    }
    fs::permissions(copy, fs::perms::owner_all);
    return copy;
}

// Xwayland puts its sockets here and does not create the directory itself.
void ensure_x11_socket_dir() {
    const char* dir = "/tmp/.X11-unix";
    if (::mkdir(dir, 01777) == 0) {
        ::chmod(dir, 01777);
    } else if (errno != EEXIST) {
        throw std::runtime_error(std::string("creating /tmp/.X11-unix: ") + std::strerror(errno));
    }
}

pid_t parent_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = -1;
    rest >> state >> ppid;
    return ppid;
}

}  // namespace

RealKWin::RealKWin() {
    require_program(kSystemKWin, "kwin-wayland");
    require_program("/usr/bin/Xwayland", "xwayland");
    require_program("/usr/bin/weston-simple-shm", "weston");
    ensure_x11_socket_dir();
    kwin_copy_ = copy_without_capability(home_.path());
    log_path_ = home_.path() + "/kwin.log";
}

std::vector<std::string> RealKWin::session_env() const {
    return {bus_.env(),
            "XDG_RUNTIME_DIR=" + runtime_.path(),
            "HOME=" + home_.path(),
            "XDG_CONFIG_HOME=" + home_.path() + "/config",
            "XDG_DATA_HOME=" + home_.path() + "/data",
            "XDG_CACHE_HOME=" + home_.path() + "/cache",
            "WAYLAND_DISPLAY=" + std::string(kWaylandSocket),
            "DISPLAY"};
}

void RealKWin::start() {
    auto env = session_env();
    env.emplace_back("QT_LOGGING_RULES=kwin_*.debug=false");
    env.emplace_back("WAYLAND_DISPLAY");  // KWin serves this socket; it must not look for a parent compositor
    auto kwin = ChildProcess::spawn(SpawnSpec{
        .argv = {kwin_copy_, "--virtual", "--xwayland", "--no-lockscreen", "--socket", kWaylandSocket},
        .env = env,
        .capture_stdout = false,
        .capture_stderr = false,
        .stderr_file = log_path_,
    });
    if (!kwin) throw std::runtime_error("starting KWin: " + kwin.error().message);
    kwin_ = std::make_unique<ChildProcess>(std::move(kwin.value()));
    const std::string socket = runtime_.path() + "/" + kWaylandSocket;
    if (!kwin_->wait_for([&] { return fs::exists(socket) || !kwin_->running(); }, 60s) || !kwin_->running()) {
        throw std::runtime_error("KWin did not come up; its log ends with:\n" + log_tail());
    }
}

RealKWin::~RealKWin() {
    (void)xwayland_display();  // remember which display to clean up
    kwin_.reset();
    remove_stale_x11_files();
}

void RealKWin::kill() {
    if (!kwin_) return;
    (void)xwayland_display();
    kwin_->signal(SIGKILL);
    kwin_->wait_exit(30s);
    kwin_.reset();
    remove_stale_x11_files();
}

// An Xwayland that loses its compositor dies without removing /tmp/.X<n>-lock and its socket.
// Only files whose lock names a process that no longer exists are removed.
void RealKWin::remove_stale_x11_files() {
    for (const auto& display : displays_seen_) {
        const std::string number = display.substr(1);
        const std::string lock = "/tmp/.X" + number + "-lock";
        for (int attempt = 0; attempt < 50; ++attempt) {
            std::ifstream in(lock);
            pid_t owner = 0;
            if (!(in >> owner)) break;
            if (::kill(owner, 0) != 0 && errno == ESRCH) {
                ::unlink(lock.c_str());
                ::unlink(("/tmp/.X11-unix/X" + number).c_str());
                break;
            }
            std::this_thread::sleep_for(100ms);  // Xwayland is still on its way out
        }
    }
    displays_seen_.clear();
}

ChildProcess RealKWin::start_wayland_client(const std::vector<std::string>& argv) const {
    auto client = ChildProcess::spawn(SpawnSpec{.argv = argv,
                                                .env = session_env(),
                                                .capture_stdout = true,
                                                .capture_stderr = true,
                                                .stderr_file = {}});
    if (!client) throw std::runtime_error("starting " + argv.front() + ": " + client.error().message);
    return std::move(client.value());
}

std::optional<std::string> RealKWin::xwayland_display() const {
    if (!kwin_) return std::nullopt;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = std::stoi(name);
        if (parent_of(pid) != kwin_->pid()) continue;
        std::ifstream cmdline(entry.path() / "cmdline");
        std::string program, display;
        std::getline(cmdline, program, '\0');
        std::getline(cmdline, display, '\0');
        if (program.ends_with("Xwayland") && display.starts_with(":")) {
            if (std::find(displays_seen_.begin(), displays_seen_.end(), display) == displays_seen_.end()) {
                displays_seen_.push_back(display);
            }
            return display;
        }
    }
    return std::nullopt;
}

ChildProcess RealKWin::start_x11_client(const std::vector<std::string>& argv) const {
    std::optional<std::string> display;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        display = xwayland_display();
        if (display && fs::exists("/tmp/.X11-unix/X" + display->substr(1))) break;
        display.reset();
        std::this_thread::sleep_for(100ms);
    }
    if (!display)
        throw std::runtime_error("KWin's Xwayland did not start; KWin's log ends with:\n" + log_tail());
    auto env = session_env();
    env.push_back("DISPLAY=" + *display);
    env.emplace_back("WAYLAND_DISPLAY");
    auto client = ChildProcess::spawn(SpawnSpec{
        .argv = argv, .env = env, .capture_stdout = true, .capture_stderr = true, .stderr_file = {}});
    if (!client) throw std::runtime_error("starting " + argv.front() + ": " + client.error().message);
    return std::move(client.value());
}

std::string RealKWin::log_tail(std::size_t lines) const {
    std::ifstream in(log_path_);
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
        tail.push_back(line);
        if (tail.size() > lines) tail.pop_front();
    }
    std::string text;
    for (const auto& line : tail) text += line + "\n";
    return text;
}

}  // namespace gamesched::testing
