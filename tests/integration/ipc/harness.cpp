#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

namespace gamesched::test {
namespace {

std::string env_or_fail(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) FAIL(std::string(name) + " is not set; run through meson test");
    return value;
}

// setpriv as systemd would start a root service with that bounding set: nothing inheritable or
// ambient, so the permitted and effective sets become the bounding set at execve.
std::vector<std::string> restricted_capabilities_prefix() {
    std::string bounding = "-all";
    for (const auto& name : shipped_bounding_set()) bounding += ",+" + name;
    return {env_or_fail("SETPRIV"), "--bounding-set=" + bounding, "--inh-caps=-all", "--ambient-caps=-all"};
}

// Built before fork(): a failing assertion in the child would go on running the test suite there.
std::vector<std::string> daemon_command(const std::string& dir, const DaemonOptions& options) {
    std::vector<std::string> args;
    if (options.shipped_capabilities) args = restricted_capabilities_prefix();
    if (options.socket_activation) {
        args.insert(args.end(), {env_or_fail("SYSTEMD_SOCKET_ACTIVATE"), "--seqpacket", "-l",
                                 dir + "/hints.sock", "-l", dir + "/control.sock", "--fdname=hints:control"});
    }
    args.push_back(env_or_fail("GAMESCHED_SOCKETS_TESTD"));
    args.push_back("--runtime-dir=" + dir);
    args.insert(args.end(), options.args.begin(), options.args.end());
    return args;
}

constexpr std::string_view kOpenFilesLimit = "--open-files-limit=";

[[noreturn]] void exec_daemon(std::vector<std::string> args, const std::string& log_path) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test (kept across execve)
    if (!log_path.empty()) {
        const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log < 0 || dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0) _exit(126);
    }
    for (auto it = args.begin(); it != args.end(); ++it) {
        if (!it->starts_with(kOpenFilesLimit)) continue;
        const auto value = static_cast<rlim_t>(std::stoul(it->substr(kOpenFilesLimit.size())));
        const rlimit limit{value, value};
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) _exit(126);
        args.erase(it);
        break;
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
}

}  // namespace

std::vector<std::string> shipped_bounding_set() {
    const std::string path = env_or_fail("GAMESCHED_SERVICE_UNIT");
    std::ifstream unit(path);
    REQUIRE(unit.good());
    std::vector<std::string> names;
    std::string line;
    bool found = false;
    while (std::getline(unit, line)) {
        if (!line.starts_with("CapabilityBoundingSet=")) continue;
        found = true;
        std::istringstream words(line.substr(line.find('=') + 1));
        for (std::string word; words >> word;) {
            REQUIRE(word.starts_with("CAP_"));
            std::string name = word.substr(4);
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            names.push_back(name);
        }
    }
    INFO(path);
    REQUIRE(found);
    return names;
}

TestDaemon::TestDaemon(DaemonOptions options) {
    char pattern[] = "/tmp/gamesched-sockets.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
    REQUIRE(chmod(dir_.c_str(), 0755) == 0);
    auto command = daemon_command(dir_, options);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) exec_daemon(std::move(command), options.log_path);
    REQUIRE(eventually(
        [&] { return std::filesystem::exists(hints_path()) && std::filesystem::exists(control_path()); }));
    if (options.socket_activation) {
        // systemd-socket-activate has no SocketMode=; set what gamesched.socket sets for
        // hints.sock. control.sock is opened to everyone on purpose: the tests check that the
        // daemon itself refuses non-members, not only the file mode.
        REQUIRE(chmod(hints_path().c_str(), 0666) == 0);
        REQUIRE(chmod(control_path().c_str(), 0666) == 0);
    }
}

TestDaemon::~TestDaemon() {
    (void)stop();
    std::filesystem::remove_all(dir_);
}

int TestDaemon::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ipc::Client TestDaemon::connect(ipc::Channel channel) const {
    auto client =
        ipc::Client::connect(channel == ipc::Channel::hints ? hints_path() : control_path(), channel);
    REQUIRE(client.ok());
    return std::move(*client);
}

nlohmann::json TestDaemon::status() const {
    auto client = connect(ipc::Channel::control);
    auto body = client.call(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(body.ok());
    return *body;
}

Sleeper::Sleeper() : Sleeper(getuid()) {}

Sleeper::Sleeper(uid_t owner) {
    const pid_t parent = getpid();
    const bool switch_user = owner != getuid();
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (switch_user && (setgroups(0, nullptr) != 0 || setresgid(owner, owner, owner) != 0 ||
                            setresuid(owner, owner, owner) != 0)) {
            _exit(1);
        }
        // The death signal survives the uid change only if set again afterwards.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(0);
        for (;;) pause();
    }
    if (switch_user) {
        // Until the child has switched, it is still ours: wait so callers see the final owner.
        const std::string expected = "Uid:\t" + std::to_string(owner) + "\t" + std::to_string(owner);
        REQUIRE(eventually([this, &expected] {
            std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
            std::string line;
            while (std::getline(status, line)) {
                if (line.starts_with("Uid:")) return line.starts_with(expected);
            }
            return false;
        }));
    }
}

SleepingThread::SleepingThread()
    : worker_([this] {
          tid_ = gettid();
          while (!done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }) {
    while (tid_ == 0) std::this_thread::yield();
}

SleepingThread::~SleepingThread() {
    done_ = true;
    worker_.join();
}

Sleeper::~Sleeper() {
    kill_and_reap();
}

void Sleeper::kill_and_reap() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void Handshake::notify() const {
    const char byte = 1;
    (void)!write(write_fd, &byte, 1);
}

void Handshake::wait() const {
    char byte = 0;
    (void)!read(read_fd, &byte, 1);
}

AsUser::AsUser(uid_t uid, std::function<nlohmann::json(const Handshake&)> body) {
    int result[2], down[2], up[2];
    REQUIRE(pipe2(result, O_CLOEXEC) == 0);
    REQUIRE(pipe2(down, O_CLOEXEC) == 0);
    REQUIRE(pipe2(up, O_CLOEXEC) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        nlohmann::json answer;
        if (setgroups(0, nullptr) != 0 || setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0) {
            answer = {{"setup_error", std::strerror(errno)}};
        } else {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // changing uids cleared it
            try {
                answer = body(Handshake{down[0], up[1]});
            } catch (const std::exception& e) {
                answer = {{"setup_error", e.what()}};
            } catch (...) {  // a failed Catch2 assertion inside the child
                answer = {{"setup_error", "assertion failed in the child"}};
            }
        }
        const std::string text = answer.dump();
        (void)!write(result[1], text.data(), text.size());
        _exit(0);
    }
    close(result[1]);
    close(down[0]);
    close(up[1]);
    result_fd_ = result[0];
    parent_ = Handshake{up[0], down[1]};
}

nlohmann::json AsUser::join() {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(result_fd_, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    auto answer = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(answer.is_discarded());
    INFO(answer.dump());
    REQUIRE_FALSE(answer.contains("setup_error"));
    return answer;
}

AsUser::~AsUser() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    for (int fd : {result_fd_, parent_.read_fd, parent_.write_fd}) {
        if (fd >= 0) close(fd);
    }
}

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (predicate()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return predicate();
}

long rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    FAIL("no VmRSS for pid " << pid);
    return -1;
}

bool scheduler_has_game(const nlohmann::json& status, pid_t pid) {
    return status.at("scheduler").at("games").contains(std::to_string(pid));
}

}  // namespace gamesched::test
