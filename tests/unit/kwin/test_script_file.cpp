// The KWin script's copy in $XDG_RUNTIME_DIR, and the script's agreement with the helper.
#include "helpers/kwin/focus_report.h"
#include "helpers/kwin/script_file.h"
#include "tests/unit/kwin/file_text.h"
#include "tests/unit/kwin/private_bus.h"

#include <catch2/catch_test_macros.hpp>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <sstream>

using gamesched::kwin::ScriptFile;
using gamesched::testing::file_text;
using gamesched::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("the script is copied into a private directory and removed with its owner", "[kwin][script]") {
    TempDir runtime;
    std::string path;
    {
        auto script = ScriptFile::install(GAMESCHED_KWIN_SCRIPT_SOURCE, runtime.path());
        REQUIRE(script);
        path = script->path();
        CHECK(path == runtime.path() + "/gamesched/kwin-focus.js");
        CHECK(file_text(path) == file_text(GAMESCHED_KWIN_SCRIPT_SOURCE));
        struct stat st {};
        REQUIRE(::stat((runtime.path() + "/gamesched").c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0700);
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("bad set-ups are refused with a hint", "[kwin][script]") {
    TempDir runtime;
    auto no_runtime = ScriptFile::install(GAMESCHED_KWIN_SCRIPT_SOURCE, "");
    REQUIRE_FALSE(no_runtime);
    CHECK(no_runtime.error().message.find("XDG_RUNTIME_DIR") != std::string::npos);

    auto missing = ScriptFile::install(runtime.path() + "/nope.js", runtime.path());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("--script") != std::string::npos);

    fs::create_directory(runtime.path() + "/elsewhere");
    fs::create_directory_symlink(runtime.path() + "/elsewhere", runtime.path() + "/gamesched");
    auto symlinked = ScriptFile::install(GAMESCHED_KWIN_SCRIPT_SOURCE, runtime.path());
    REQUIRE_FALSE(symlinked);
    CHECK(symlinked.error().message.find("remove it") != std::string::npos);
}

TEST_CASE("the script calls the name, path and interface the helper exports", "[kwin][script]") {
    const std::string script = file_text(GAMESCHED_KWIN_SCRIPT_SOURCE);
    CHECK(script.find(std::string("\"") + gamesched::kwin::kBusName + "\"") != std::string::npos);
    CHECK(script.find(std::string("\"") + gamesched::kwin::kObjectPath + "\"") != std::string::npos);
    CHECK(script.find("\"org.gamesched.KWinFocus1\"") != std::string::npos);
    CHECK(script.find("\"FocusChanged\"") != std::string::npos);
    // Both KWin generations.
    for (const char* api : {"workspace.windowActivated", "workspace.activeWindow",
                            "workspace.clientActivated", "workspace.activeClient"}) {
        CHECK(script.find(api) != std::string::npos);
    }
}
