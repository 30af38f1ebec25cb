// One game's sample file: JSON Lines, appended so that a crash at any moment leaves every
// completed record readable. One write(2) per record; a record is complete when its newline is
// on disk. A torn last line (crash mid-write) is cut off when the file is opened for appending
// and skipped when it is read. A failed write (ENOSPC, EIO) is undone by truncating back to the
// last complete record, so earlier records are never damaged. Size-bounded: past max_bytes the
// file rotates to <stem>.1.jsonl, .2, ... and the oldest beyond keep_rotated is deleted.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/unique_fd.h"

namespace gamesched::ml {

struct LogLimits {
    std::uint64_t max_bytes = 8ULL << 20;  // per file, before rotation
    unsigned keep_rotated = 3;             // older files kept besides the live one
    // How often appended data is flushed to stable storage (a power cut loses at most this
    // much; a crash of the process loses nothing that was appended).
    std::chrono::seconds sync_every{10};
};

class JsonlLog {
public:
    // Opens (creating) dir/<stem>.jsonl for appending, cutting off a torn last line.
    static Result<JsonlLog> open(const std::filesystem::path& dir, const std::string& stem, LogLimits limits);

    // Appends one record. On failure nothing of it stays in the file.
    Status append(const nlohmann::json& record);

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    // Bytes of a torn line removed when the file was opened (0 when it ended cleanly).
    [[nodiscard]] std::uint64_t repaired_bytes() const { return repaired_bytes_; }

private:
    JsonlLog(std::filesystem::path dir, std::string stem, LogLimits limits)
        : dir_(std::move(dir)), stem_(std::move(stem)), limits_(limits) {}
    Status open_live();
    Status rotate();
    Status write_line(const std::string& line);

    std::filesystem::path dir_;
    std::string stem_;
    LogLimits limits_;
    std::filesystem::path path_;
    UniqueFd fd_;
    std::uint64_t size_ = 0;
    std::uint64_t repaired_bytes_ = 0;
    std::chrono::steady_clock::time_point last_sync_{};
};

// The numbers N of the rotated files <stem>.N.jsonl present, in no particular order.
[[nodiscard]] std::vector<unsigned> rotated_indices(const std::filesystem::path& dir,
                                                    const std::string& stem);
// Every file of one game, oldest first: <stem>.N.jsonl (highest N first), then <stem>.jsonl.
[[nodiscard]] std::vector<std::filesystem::path> log_files(const std::filesystem::path& dir,
                                                           const std::string& stem);

struct ReadOutcome {
    std::vector<nlohmann::json> records;
    std::uint64_t torn_tail_bytes = 0;  // an unterminated last line, dropped
    std::uint64_t bad_lines = 0;        // terminated lines that are not a JSON object (never ours)
};

// Reads every complete record of one game, oldest first.
[[nodiscard]] Result<ReadOutcome> read_log(const std::filesystem::path& dir, const std::string& stem);
// Reads one file.
[[nodiscard]] Result<ReadOutcome> read_log_file(const std::filesystem::path& file);

}  // namespace gamesched::ml
