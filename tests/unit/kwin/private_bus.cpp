#include "tests/unit/kwin/private_bus.h"

#include <filesystem>
#include <stdexcept>

#include <cstdlib>

namespace gamesched::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gamesched-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;  // mkdtemp creates it 0700
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

PrivateBus::PrivateBus() {
    auto daemon = ChildProcess::spawn(SpawnSpec{
        .argv = {"dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1",
                 "--address=unix:dir=" + socket_dir_.path()},
        .env = {},
        .capture_stdout = true,
        .capture_stderr = true,  // "Failed to set fd limit" noise when not privileged enough
        .stderr_file = {},
    });
    if (!daemon) throw std::runtime_error("starting dbus-daemon: " + daemon.error().message);
    daemon_ = std::make_unique<ChildProcess>(std::move(daemon.value()));
    auto line = daemon_->wait_for_out("unix:", std::chrono::seconds(10));
    if (!line) throw std::runtime_error("dbus-daemon printed no address within 10 s");
    address_ = *line;
}

PrivateBus::~PrivateBus() {
    daemon_.reset();
}

}  // namespace gamesched::testing
