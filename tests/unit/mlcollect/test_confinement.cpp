// gamesched-mlcollect's own confinement (helpers/mlcollect/confinement.h), applied for real in a
// forked child: it writes its state directory and nothing else.
#include "helpers/mlcollect/confinement.h"
#include "tests/unit/mlcollect/temp_dir.h"
#include "tests/unit/sandbox/confined_child.h"

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using gamesched::sandbox::testing::in_confined_child;
using gamesched::sandbox::testing::open_errno;

namespace {

struct Tree {
    TempDir dir;
    const fs::path root = dir.path();
    Tree() {
        fs::create_directories(root / "state" / "samples");
        fs::create_directory(root / "outside");
        std::ofstream(root / "outside" / "existing") << "keep";
    }
};

}  // namespace

TEST_CASE("mlcollect confined: writes only under its state directory", "[mlcollect][sandbox]") {
    REQUIRE(gamesched::sandbox::landlock_abi() >= 1);
    const Tree tree;
    const fs::path state = tree.root / "state";
    CHECK(in_confined_child(gamesched::ml::confinement(state), [&] {
              if (open_errno(state / "samples" / "game.jsonl", O_WRONLY | O_CREAT | O_APPEND) != 0) return 1;
              if (mkdir((state / "profiles").c_str(), 0700) != 0) return 2;
              if (open_errno(state / "profiles" / "game.json.tmp", O_WRONLY | O_CREAT) != 0) return 3;
              if (rename((state / "profiles" / "game.json.tmp").c_str(),
                         (state / "profiles" / "game.json").c_str()) != 0)
                  return 4;
              if (open_errno(tree.root / "outside" / "new", O_WRONLY | O_CREAT) != EACCES) return 5;
              if (open_errno(tree.root / "outside" / "existing", O_WRONLY | O_TRUNC) != EACCES) return 6;
              if (open_errno(tree.root / "outside" / "existing", O_RDONLY) != EACCES) return 7;
              if (open_errno("/tmp/gamesched-mlconfine-escape", O_WRONLY | O_CREAT) != EACCES) return 8;
              if (open_errno("/etc/passwd", O_RDONLY) != 0) return 9;
              if (open_errno("/etc/passwd", O_WRONLY) != EACCES) return 10;
              return 0;
          }) == 0);
    CHECK(fs::exists(state / "profiles" / "game.json"));
    CHECK_FALSE(fs::exists(tree.root / "outside" / "new"));
    CHECK_FALSE(fs::exists("/tmp/gamesched-mlconfine-escape"));
    std::ifstream existing(tree.root / "outside" / "existing");
    std::string content;
    existing >> content;
    CHECK(content == "keep");
}
