#include "util/journal.h"

#include "util/log.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

namespace gamesched {
namespace {

int syslog_priority(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::critical:
            return 2;
        case spdlog::level::err:
            return 3;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::info:
            return 6;
        default:
            return 7;
    }
}

}  // namespace

void log_event(spdlog::level::level_enum level, const char* message_id, const std::string& message,
               const JournalFields& fields) {
    if (!spdlog::should_log(level)) return;
    if (!stderr_is_journal()) {
        std::string line = message;
        for (const auto& [key, value] : fields) line += " " + key + "=" + value;
        spdlog::log(level, "{}", line);
        return;
    }
    std::vector<std::string> entries = {"MESSAGE=" + message,
                                        "PRIORITY=" + std::to_string(syslog_priority(level)),
                                        "SYSLOG_IDENTIFIER=" + log_identifier()};
    if (message_id != nullptr) entries.push_back(std::string("MESSAGE_ID=") + message_id);
    for (const auto& [key, value] : fields) entries.push_back(key + "=" + value);
    std::vector<iovec> iov;
    iov.reserve(entries.size());
    for (auto& entry : entries) iov.push_back({entry.data(), entry.size()});
    sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace gamesched
