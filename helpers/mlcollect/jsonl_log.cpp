#include "helpers/mlcollect/jsonl_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

namespace gamesched::ml {
namespace fs = std::filesystem;
namespace {

fs::path live_path(const fs::path& dir, const std::string& stem) {
    return dir / (stem + ".jsonl");
}
fs::path rotated_path(const fs::path& dir, const std::string& stem, unsigned n) {
    return dir / (stem + "." + std::to_string(n) + ".jsonl");
}

// Size after the last newline is cut off: the end of the last complete record.
Result<std::uint64_t> complete_prefix(int fd, std::uint64_t size) {
    char buf[4096];
    std::uint64_t end = size;
    while (end > 0) {
        const std::uint64_t chunk = std::min<std::uint64_t>(end, sizeof(buf));
        const ssize_t got = pread(fd, buf, chunk, static_cast<off_t>(end - chunk));
        if (got != static_cast<ssize_t>(chunk))
            return Error::from_errno("reading the end of the sample file");
        for (std::uint64_t i = chunk; i > 0; --i) {
            if (buf[i - 1] == '\n') return end - chunk + i;
        }
        end -= chunk;
    }
    return std::uint64_t{0};
}

}  // namespace

Result<JsonlLog> JsonlLog::open(const fs::path& dir, const std::string& stem, LogLimits limits) {
    JsonlLog log(dir, stem, limits);
    if (auto st = log.open_live(); !st) return st.error();
    return log;
}

Status JsonlLog::open_live() {
    path_ = live_path(dir_, stem_);
    fd_.reset(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640));
    if (!fd_) return Error::from_errno("opening " + path_.string());
    struct stat st {};
    if (fstat(fd_.get(), &st) != 0) return Error::from_errno("stat " + path_.string());
    size_ = static_cast<std::uint64_t>(st.st_size);
    // pread needs a readable descriptor; the append descriptor is write-only.
    UniqueFd reader(::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!reader) return Error::from_errno("opening " + path_.string() + " for reading");
    auto keep = complete_prefix(reader.get(), size_);
    if (!keep) return keep.error().context(path_.string());
    if (*keep != size_) {
        if (ftruncate(fd_.get(), static_cast<off_t>(*keep)) != 0)
            return Error::from_errno("cutting the torn last line of " + path_.string());
        repaired_bytes_ += size_ - *keep;
        size_ = *keep;
    }
    last_sync_ = std::chrono::steady_clock::now();
    return Ok{};
}

Status JsonlLog::rotate() {
    // Shift the rotated files that exist, highest first, dropping those beyond keep_rotated. Each
    // rename is atomic; a crash between two of them leaves a gap in the numbering, which
    // log_files() tolerates.
    std::error_code ec;
    std::vector<unsigned> present = rotated_indices(dir_, stem_);
    std::sort(present.rbegin(), present.rend());
    for (unsigned n : present) {
        if (n >= limits_.keep_rotated) {
            fs::remove(rotated_path(dir_, stem_, n), ec);
        } else {
            fs::rename(rotated_path(dir_, stem_, n), rotated_path(dir_, stem_, n + 1), ec);
        }
    }
    if (limits_.keep_rotated == 0) {
        fs::remove(path_, ec);
    } else if (fs::rename(path_, rotated_path(dir_, stem_, 1), ec); ec) {
        return Error{ec.value(), "rotating " + path_.string() + ": " + ec.message()};
    }
    fd_.reset();
    return open_live();
}

Status JsonlLog::write_line(const std::string& line) {
    const std::uint64_t before = size_;
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd_.get(), line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            // Undo the partial record so that the file still ends with a complete one.
            if (done > 0 && ftruncate(fd_.get(), static_cast<off_t>(before)) != 0) {
                return Error::from_errno("undoing a partial record in " + path_.string());
            }
            return Error::from_errno("appending to " + path_.string(), err);
        }
        done += static_cast<std::size_t>(n);
    }
    size_ += line.size();
    return Ok{};
}

Status JsonlLog::append(const nlohmann::json& record) {
    std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line.push_back('\n');
    if (size_ > 0 && size_ + line.size() > limits_.max_bytes) {
        if (auto st = rotate(); !st) return st;
    }
    if (auto st = write_line(line); !st) return st;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sync_ >= limits_.sync_every) {
        last_sync_ = now;
        if (fdatasync(fd_.get()) != 0) return Error::from_errno("flushing " + path_.string());
    }
    return Ok{};
}

std::vector<unsigned> rotated_indices(const fs::path& dir, const std::string& stem) {
    std::vector<unsigned> out;
    std::error_code ec;
    const std::string prefix = stem + ".";
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() <= prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
        if (name.compare(name.size() - 6, 6, ".jsonl") != 0) continue;
        const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - 6);
        if (middle.empty() || middle.size() > 6 || !std::all_of(middle.begin(), middle.end(), ::isdigit))
            continue;
        out.push_back(static_cast<unsigned>(std::stoul(middle)));
    }
    return out;
}

std::vector<fs::path> log_files(const fs::path& dir, const std::string& stem) {
    std::vector<unsigned> rotated = rotated_indices(dir, stem);
    std::sort(rotated.rbegin(), rotated.rend());
    std::vector<fs::path> files;
    for (unsigned n : rotated) files.push_back(rotated_path(dir, stem, n));
    std::error_code ec;
    if (fs::exists(live_path(dir, stem), ec)) files.push_back(live_path(dir, stem));
    return files;
}

Result<ReadOutcome> read_log_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error::from_errno("opening " + file.string());
    ReadOutcome out;
    std::string line;
    while (std::getline(in, line)) {
        if (in.eof()) {  // no newline after it: a torn last line
            out.torn_tail_bytes += line.size();
            break;
        }
        auto parsed = nlohmann::json::parse(line, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
            ++out.bad_lines;
            continue;
        }
        out.records.push_back(std::move(parsed));
    }
    if (in.bad()) return Error::from_errno("reading " + file.string());
    return out;
}

Result<ReadOutcome> read_log(const fs::path& dir, const std::string& stem) {
    ReadOutcome all;
    for (const auto& file : log_files(dir, stem)) {
        auto one = read_log_file(file);
        if (!one) return one.error();
        all.torn_tail_bytes += one->torn_tail_bytes;
        all.bad_lines += one->bad_lines;
        for (auto& r : one->records) all.records.push_back(std::move(r));
    }
    return all;
}

}  // namespace gamesched::ml
