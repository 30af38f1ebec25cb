// Landlock and the seccomp write ban, checked with real files in a temporary directory.
#include "tests/unit/sandbox/confined_child.h"

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using gamesched::sandbox::FsAccess;
using gamesched::sandbox::landlock_abi;
using gamesched::sandbox::Policy;
using gamesched::sandbox::testing::in_confined_child;
using gamesched::sandbox::testing::kNobody;
using gamesched::sandbox::testing::open_errno;

namespace {

struct TempTree {
    fs::path root;
    TempTree() {
        char name[] = "/tmp/gamesched-sandbox-XXXXXX";
        root = mkdtemp(name);
        for (const char* dir : {"ro", "rw", "other"}) fs::create_directory(root / dir);
        std::ofstream(root / "ro" / "data") << "rules";
        std::ofstream(root / "other" / "secret") << "secret";
        // The uid-drop checks run as nobody: let it reach everything, so only the sandbox refuses.
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            fs::permissions(entry.path(), fs::perms::all);
        }
        fs::permissions(root, fs::perms::all);
    }
    ~TempTree() { fs::remove_all(root); }
};

Policy landlocked(const TempTree& tree) {
    FsAccess access;
    access.read = {(tree.root / "ro").string()};
    access.write = {(tree.root / "rw").string()};
    return {.extra_syscalls = {}, .filesystem = access, .read_only = false};
}

}  // namespace

TEST_CASE("the kernel offers Landlock (the helpers rely on it)", "[sandbox][landlock]") {
    CHECK(landlock_abi() >= 1);
}

TEST_CASE("Landlock: read-only where the helper reads, write only where it writes", "[sandbox][landlock]") {
    const TempTree tree;
    CHECK(in_confined_child(landlocked(tree), [&] {
              if (open_errno(tree.root / "ro" / "data", O_RDONLY) != 0) return 1;
              if (open_errno(tree.root / "ro" / "data", O_WRONLY) != EACCES) return 2;
              if (open_errno(tree.root / "ro" / "new", O_WRONLY | O_CREAT) != EACCES) return 3;
              if (open_errno(tree.root / "rw" / "new", O_WRONLY | O_CREAT) != 0) return 4;
              if (rename((tree.root / "rw" / "new").c_str(), (tree.root / "rw" / "renamed").c_str()) != 0)
                  return 5;
              if (unlink((tree.root / "rw" / "renamed").c_str()) != 0) return 6;
              if (open_errno(tree.root / "other" / "secret", O_RDONLY) != EACCES) return 7;
              if (open_errno(tree.root / "other" / "x.desktop", O_WRONLY | O_CREAT) != EACCES) return 8;
              if (mkdir((tree.root / "ro" / "dir").c_str(), 0700) == 0 || errno != EACCES) return 9;
              return 0;
          }) == 0);
    CHECK_FALSE(fs::exists(tree.root / "other" / "x.desktop"));
    CHECK_FALSE(fs::exists(tree.root / "ro" / "new"));
}

TEST_CASE("Landlock binds root too, and hides other processes' environ", "[sandbox][landlock]") {
    const TempTree tree;
    // A same-uid process outside the domain: its environ needs ptrace-read access.
    const pid_t sibling = fork();
    if (sibling == 0) {
        if (setresgid(kNobody, kNobody, kNobody) != 0 || setresuid(kNobody, kNobody, kNobody) != 0) _exit(1);
        pause();
        _exit(0);
    }
    const std::string environ_path = "/proc/" + std::to_string(sibling) + "/environ";
    Policy policy = landlocked(tree);
    policy.filesystem->read.push_back("/proc");
    CHECK(in_confined_child(
              policy,
              [&] {
                  if (open_errno(environ_path, O_RDONLY) != EACCES) return 1;
                  if (open_errno(tree.root / "ro" / "data", O_WRONLY) != EACCES) return 2;
                  return 0;
              },
              kNobody) == 0);
    kill(sibling, SIGKILL);
    waitpid(sibling, nullptr, 0);
}

TEST_CASE("read-only policy: nothing can be written, created, removed or renamed", "[sandbox]") {
    const TempTree tree;
    const Policy policy{.extra_syscalls = {}, .filesystem = {}, .read_only = true};
    CHECK(in_confined_child(policy, [&] {
              if (open_errno(tree.root / "ro" / "data", O_RDONLY) != 0) return 1;
              if (open_errno(tree.root / "ro" / "data", O_WRONLY) != EPERM) return 2;
              if (open_errno(tree.root / "ro" / "data", O_RDWR) != EPERM) return 3;
              if (open_errno(tree.root / "rw" / "new", O_WRONLY | O_CREAT) != EPERM) return 4;
              if (open_errno(tree.root / "ro" / "data", O_RDONLY | O_TRUNC) != EPERM) return 5;
              if (open_errno(tree.root / "ro" / "data", O_WRONLY | O_APPEND) != EPERM) return 6;
              errno = 0;
              if (mkdir((tree.root / "rw" / "dir").c_str(), 0700) != -1 || errno != EPERM) return 7;
              errno = 0;
              if (unlink((tree.root / "ro" / "data").c_str()) != -1 || errno != EPERM) return 8;
              errno = 0;
              if (rename((tree.root / "ro" / "data").c_str(), (tree.root / "rw" / "x").c_str()) != -1 ||
                  errno != EPERM)
                  return 9;
              const int fd = open((tree.root / "ro" / "data").c_str(), O_RDONLY | O_CLOEXEC);
              errno = 0;
              if (fchmod(fd, 0777) != -1 || errno != EPERM) return 10;
              return 0;
          }) == 0);
    CHECK(fs::exists(tree.root / "ro" / "data"));
    CHECK_FALSE(fs::exists(tree.root / "rw" / "new"));
}

TEST_CASE("a read-only policy cannot re-allow a writing syscall", "[sandbox]") {
    const Policy policy{.extra_syscalls = {"unlink"}, .filesystem = {}, .read_only = true};
    CHECK(in_confined_child(policy, [] { return 0; }) == 100);
}
