// Key events go to the journal with a stable MESSAGE_ID and uppercase fields, so that users can
// find them (journalctl MESSAGE_ID=...) and tools can match them. Elsewhere they are plain logs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace gamesched {

// Generated once with systemd-id128 new; never change them.
inline constexpr const char* kMsgSchedulerAttached = "6c1d2f4e8a7b4e0f9d35c1a2b7e8f901";
inline constexpr const char* kMsgSchedulerExited = "0b9e7c52d4a94f1d8e6a3c5b2f1d7e44";
inline constexpr const char* kMsgAttachFailed = "e3a1c7d95b2f4a6e9c8d7b1a4f2e6c30";

using JournalFields = std::vector<std::pair<std::string, std::string>>;

void log_event(spdlog::level::level_enum level, const char* message_id, const std::string& message,
               const JournalFields& fields = {});

}  // namespace gamesched
