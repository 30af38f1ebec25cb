#include "tests/integration/kwin/real_kwin.h"

#include <sys/stat.h>
#include <sys/wait.h>
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

// The trixie root with KWin 6, built by trixie-root.sh on first use (minutes; cached after).
std::string trixie_root() {
    auto script = ChildProcess::spawn(SpawnSpec{.argv = {GAMESCHED_TRIXIE_ROOT_SCRIPT},
                                                .env = {},
                                                .capture_stdout = true,
                                                .capture_stderr = false,  // its progress goes to the test log
                                                .stderr_file = {}});
    if (!script) throw std::runtime_error("running trixie-root.sh: " + script.error().message);
    const auto status = script->wait_exit(30min);
    if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0 || script->out().lines().empty()) {
        throw std::runtime_error(
            "trixie-root.sh could not provide the trixie root with KWin 6 (see its messages above)");
    }
    return script->out().lines().back();
}

}  // namespace

RealKWin::RealKWin(Plasma release) {
    require_program("/usr/bin/weston-simple-shm", "weston");
    ensure_x11_socket_dir();
    const std::vector<std::string> options = {"--virtual", "--xwayland", "--no-lockscreen", "--socket",
                                              kWaylandSocket};
    if (release == Plasma::five) {
        require_program(kSystemKWin, "kwin-wayland");
        require_program("/usr/bin/Xwayland", "xwayland");
        kwin_command_ = {copy_without_capability(home_.path())};
    } else {
        kwin_command_ = {GAMESCHED_ENTER_ROOT_SCRIPT, trixie_root(), "/usr/bin/kwin_wayland"};
    }
    kwin_command_.insert(kwin_command_.end(), options.begin(), options.end());
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
        .argv = kwin_command_,
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
    (void)x11_display();  // remember which display to clean up
    kwin_.reset();
    remove_stale_x11_files();
}

void RealKWin::kill() {
    if (!kwin_) return;
    (void)x11_display();
    kwin_->signal(SIGKILL);
    kwin_->wait_exit(30s);
    kwin_.reset();
    remove_stale_x11_files();
}

// A KWin or an Xwayland killed dies without removing /tmp/.X<n>-lock and its socket.
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

// The display whose lock file names KWin (Plasma 6 holds the X11 sockets itself and starts
// Xwayland on the first connection) or KWin's Xwayland (Plasma 5 starts it with KWin).
std::optional<std::string> RealKWin::x11_display() const {
    if (!kwin_) return std::nullopt;
    for (const auto& entry : fs::directory_iterator("/tmp")) {
        const std::string name = entry.path().filename();
        if (!name.starts_with(".X") || !name.ends_with("-lock")) continue;
        std::ifstream in(entry.path());
        pid_t owner = 0;
        if (!(in >> owner) || (owner != kwin_->pid() && parent_of(owner) != kwin_->pid())) continue;
        const std::string display = ":" + name.substr(2, name.size() - 2 - 5);
        if (std::find(displays_seen_.begin(), displays_seen_.end(), display) == displays_seen_.end()) {
            displays_seen_.push_back(display);
        }
        return display;
    }
    return std::nullopt;
}

std::string RealKWin::wait_for_x11_display() const {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto display = x11_display();
        if (display && fs::exists("/tmp/.X11-unix/X" + display->substr(1))) return *display;
        std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("KWin serves no X11 display; KWin's log ends with:\n" + log_tail());
}

ChildProcess RealKWin::start_x11_client(const std::vector<std::string>& argv) const {
    auto env = session_env();
    env.push_back("DISPLAY=" + wait_for_x11_display());
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
