// Builds /proc-shaped fixture trees in a temporary directory, in the formats the kernel uses
// (status lines, NUL-separated cmdline/environ, exe and fd symlinks). Nothing is copied from a
// real system: every file is written from the FakeProcess description.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gamesched::detect::testing {

struct FakeProcess {
    pid_t pid = 0;
    pid_t ppid = 1;
    uid_t uid = ::getuid();
    std::string comm{};
    std::string exe{};  // symlink target; empty: no exe link (like a kernel thread)
    std::vector<std::string> args{};
    std::map<std::string, std::string> env{};
    bool environ_unreadable = false;  // mode 0000; see with_unreadable_environ() in the tests
    int threads = 1;
    std::vector<std::string> fds = {"/dev/null", "/dev/pts/0", "/dev/pts/0"};
    std::vector<std::string> mapped_files = {"/usr/lib/x86_64-linux-gnu/libc.so.6"};  // lines of maps
    bool maps_unreadable = false;  // reading maps fails, as for another user's process
    std::string cgroup = "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope";
    std::uint64_t start_time = 4242;
};

class FakeProc {
public:
    FakeProc();
    ~FakeProc();
    FakeProc(const FakeProc&) = delete;
    FakeProc& operator=(const FakeProc&) = delete;

    void add(const FakeProcess& process);
    void remove(pid_t pid);
    [[nodiscard]] const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

// A temporary directory removed with everything in it at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    void write(const std::string& relative, const std::string& content) const;

private:
    std::filesystem::path path_;
};

// The shipped rules.d of the source tree (the build passes its location).
std::filesystem::path shipped_rules_dir();

}  // namespace gamesched::detect::testing
