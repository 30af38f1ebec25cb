// $XDG_RUNTIME_DIR validation: only a real 0700 directory of this uid is taken.
#include "helpers/common/runtime_dir.h"

#include <catch2/catch_test_macros.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using gamesched::sandbox::checked_runtime_dir;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char name[] = "/tmp/gamesched-xdg-XXXXXX";
        path = mkdtemp(name);  // 0700, ours
    }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a private directory of this uid is accepted", "[runtime_dir]") {
    const TempDir dir;
    const auto checked = checked_runtime_dir(dir.path.c_str());
    REQUIRE(checked.ok());
    CHECK(*checked == dir.path.string());
}

TEST_CASE("unset or relative XDG_RUNTIME_DIR is refused with what to do", "[runtime_dir]") {
    for (const char* value : {static_cast<const char*>(nullptr), "", "run/user/1000"}) {
        const auto checked = checked_runtime_dir(value);
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error().message.find("login session") != std::string::npos);
    }
}

TEST_CASE("a symlink to a private directory is refused", "[runtime_dir]") {
    const TempDir dir;
    fs::create_directory(dir.path / "real", dir.path);
    fs::permissions(dir.path / "real", fs::perms::owner_all, fs::perm_options::replace);
    fs::create_directory_symlink(dir.path / "real", dir.path / "link");
    const auto checked = checked_runtime_dir((dir.path / "link").c_str());
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code == ELOOP);
    CHECK(checked.error().message.find("symlink") != std::string::npos);
}

TEST_CASE("a directory open to others, or someone else's, is refused", "[runtime_dir]") {
    const TempDir dir;
    fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                    fs::perm_options::replace);
    auto checked = checked_runtime_dir(dir.path.c_str());
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().message.find("0750") != std::string::npos);

    fs::permissions(dir.path, fs::perms::owner_all, fs::perm_options::replace);
    REQUIRE(chown(dir.path.c_str(), getuid() + 1, static_cast<gid_t>(-1)) == 0);  // tests run as root
    checked = checked_runtime_dir(dir.path.c_str());
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().message.find("not to you") != std::string::npos);
}

TEST_CASE("a file is not a runtime directory", "[runtime_dir]") {
    const TempDir dir;
    { std::ofstream(dir.path / "file") << "x"; }
    const auto checked = checked_runtime_dir((dir.path / "file").c_str());
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code == ENOTDIR);
}
