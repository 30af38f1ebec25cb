// Key events go to the journal with a stable MESSAGE_ID (util/message_ids.h) and GAMESCHED_*
// fields, so that `journalctl MESSAGE_ID=...` and `journalctl GAMESCHED_PID=...` find them.
// Without the journal (started by hand) they are ordinary log lines with the fields appended.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

namespace gamesched {

using JournalFields = std::vector<std::pair<std::string, std::string>>;

// message_id may be null (a plain line with fields). Field names are upper-case journal field
// names; values may be anything (they are sent as binary-safe journal fields).
void log_event(spdlog::level::level_enum level, const char* message_id, const std::string& message,
               const JournalFields& fields = {});

}  // namespace gamesched
