#include "tests/unit/kwin/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

extern char** environ;

namespace gamesched::testing {
namespace {

using Clock = std::chrono::steady_clock;

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error::from_errno("pipe2");
    return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

std::optional<std::string> find_line(const LineReader& reader, const std::string& needle) {
    for (const auto& line : reader.lines()) {
        if (line.find(needle) != std::string::npos) return line;
    }
    return std::nullopt;
}

}  // namespace

bool LineReader::drain() {
    if (!fd_) return false;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno == EAGAIN;
        if (n == 0) return false;
        partial_.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = partial_.find('\n')) != std::string::npos) {
            lines_.push_back(partial_.substr(0, nl));
            partial_.erase(0, nl + 1);
        }
    }
}

std::vector<std::string> environment_with(const std::vector<std::string>& overrides) {
    // Later overrides win; "NAME" without '=' removes the variable.
    std::vector<std::string> chosen;
    std::vector<std::string> names;
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
        const std::string name = it->substr(0, it->find('='));
        if (std::find(names.begin(), names.end(), name) != names.end()) continue;
        names.push_back(name);
        if (it->find('=') != std::string::npos) chosen.push_back(*it);
    }
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        if (std::find(names.begin(), names.end(), entry.substr(0, entry.find('='))) == names.end()) {
            env.push_back(entry);
        }
    }
    env.insert(env.end(), chosen.begin(), chosen.end());
    return env;
}

Result<ChildProcess> ChildProcess::spawn(const SpawnSpec& spec) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    UniqueFd out_read, err_read, out_write, err_write;
    if (spec.capture_stdout) {
        auto p = make_pipe();
        if (!p) return p.error();
        out_read = std::move(p->first);
        out_write = std::move(p->second);
        posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
    }
    if (spec.capture_stderr) {
        auto p = make_pipe();
        if (!p) return p.error();
        err_read = std::move(p->first);
        err_write = std::move(p->second);
        posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
    } else if (!spec.stderr_file.empty()) {
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, spec.stderr_file.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
    }

    std::vector<char*> argv, envp;
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const auto env = environment_with(spec.env);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    // The test process may block signals (Catch2 does not, but be explicit): children start clean.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return Error::from_errno("spawning " + spec.argv[0], rc);

    for (auto* fd : {&out_read, &err_read}) {
        if (*fd) ::fcntl(fd->get(), F_SETFL, O_NONBLOCK);
    }
    return ChildProcess(pid, std::move(out_read), std::move(err_read));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      reaped_(other.reaped_),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)) {}

ChildProcess::~ChildProcess() {
    if (pid_ <= 0 || reaped_) return;
    // A chance to clean up (sockets, lock files) first; then no more patience.
    ::kill(pid_, SIGTERM);
    if (!wait_exit(std::chrono::seconds(3))) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void ChildProcess::signal(int sig) const {
    if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
}

void ChildProcess::drain_all() {
    out_.drain();
    err_.drain();
}

bool ChildProcess::wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        drain_all();
        if (pred()) return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd fds[2] = {{out_.fd(), POLLIN, 0}, {err_.fd(), POLLIN, 0}};
        // Short slices: pred() may depend on things other than our pipes (a child's exit).
        ::poll(fds, 2, static_cast<int>(std::min<long>(left.count(), 50)));
    }
}

std::optional<std::string> ChildProcess::wait_for_out(const std::string& needle,
                                                      std::chrono::milliseconds timeout) {
    std::optional<std::string> found;
    wait_for([&] { return (found = find_line(out_, needle)).has_value(); }, timeout);
    return found;
}

std::optional<std::string> ChildProcess::wait_for_err(const std::string& needle,
                                                      std::chrono::milliseconds timeout) {
    std::optional<std::string> found;
    wait_for([&] { return (found = find_line(err_, needle)).has_value(); }, timeout);
    return found;
}

bool ChildProcess::running() {
    if (reaped_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return false;
    }
    return true;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        drain_all();
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            reaped_ = true;
            drain_all();
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

}  // namespace gamesched::testing
