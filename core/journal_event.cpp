#include "core/journal_event.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "util/log.h"

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
    if (!stderr_is_journal()) {
        std::string line = message;
        for (const auto& [k, v] : fields) line += " " + k + "=" + v;
        spdlog::log(level, "{}", line);
        return;
    }
    std::vector<std::string> entries = {"MESSAGE=" + message, std::string("MESSAGE_ID=") + message_id,
                                        "PRIORITY=" + std::to_string(syslog_priority(level)),
                                        "SYSLOG_IDENTIFIER=gamesched-core"};
    for (const auto& [k, v] : fields) entries.push_back(k + "=" + v);
    std::vector<iovec> iov;
    for (auto& e : entries) iov.push_back({e.data(), e.size()});
    sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace gamesched
