#include "tests/unit/detect/fake_proc.h"

#include <sys/stat.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace gamesched::detect::testing {
namespace fs = std::filesystem;
namespace {

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "gamesched-detect-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write fixture file " + path.string());
}

std::string nul_joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        out += part;
        out.push_back('\0');
    }
    return out;
}

}  // namespace

FakeProc::FakeProc() : root_(make_temp_dir()) {}
FakeProc::~FakeProc() {
    std::error_code ec;
    fs::remove_all(root_, ec);
}

void FakeProc::add(const FakeProcess& p) {
    const fs::path dir = root_ / std::to_string(p.pid);
    fs::remove_all(dir);
    fs::create_directories(dir / "fd");
    write_file(dir / "comm", p.comm + "\n");
    const std::string uid = std::to_string(p.uid);
    write_file(dir / "status", "Name:\t" + p.comm + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" +
                                   std::to_string(p.pid) + "\nNgid:\t0\nPid:\t" + std::to_string(p.pid) +
                                   "\nPPid:\t" + std::to_string(p.ppid) + "\nTracerPid:\t0\nUid:\t" + uid +
                                   "\t" + uid + "\t" + uid + "\t" + uid + "\nGid:\t100\t100\t100\t100\n" +
                                   "Threads:\t" + std::to_string(p.threads) + "\n");
    // Fields 3..21 are placeholders; starttime is field 22. comm keeps its spaces and ')'.
    std::string stat = std::to_string(p.pid) + " (" + p.comm + ") S " + std::to_string(p.ppid);
    for (int field = 5; field <= 21; ++field) stat += " 0";
    stat += " " + std::to_string(p.start_time) + " 0 0\n";
    write_file(dir / "stat", stat);
    write_file(dir / "cmdline", nul_joined(p.args));
    std::vector<std::string> env;
    for (const auto& [name, value] : p.env) env.push_back(name + "=" + value);
    write_file(dir / "environ", nul_joined(env));
    if (p.environ_unreadable) fs::permissions(dir / "environ", fs::perms::none);
    write_file(dir / "cgroup", "0::" + p.cgroup + "\n");
    std::string maps;
    std::uint64_t address = 0x7f0000000000;
    for (const auto& file : p.mapped_files) {
        char line[128];
        const std::uint64_t end = address + 0x1000;
        std::snprintf(line, sizeof line, "%" PRIx64 "-%" PRIx64 " r-xp 00000000 fe:01 1234 ", address, end);
        maps += line + std::string(24, ' ') + file + "\n";
        address += 0x10000;
    }
    // Unreadable even for root (the tests run as root in CI): a directory fails read() with EISDIR.
    if (p.maps_unreadable) {
        fs::create_directory(dir / "maps");
    } else {
        write_file(dir / "maps", maps);
    }
    if (!p.exe.empty()) fs::create_symlink(p.exe, dir / "exe");
    for (std::size_t i = 0; i < p.fds.size(); ++i)
        fs::create_symlink(p.fds[i], dir / "fd" / std::to_string(i));
}

void FakeProc::remove(pid_t pid) {
    fs::remove_all(root_ / std::to_string(pid));
}

TempDir::TempDir() : path_(make_temp_dir()) {}
TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void TempDir::write(const std::string& relative, const std::string& content) const {
    const fs::path target = path_ / relative;
    fs::create_directories(target.parent_path());
    write_file(target, content);
}

fs::path shipped_rules_dir() {
    return GAMESCHED_TEST_RULES_DIR;
}

}  // namespace gamesched::detect::testing
