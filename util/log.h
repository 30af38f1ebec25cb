// One spdlog logger per process: journald (with SYSLOG_IDENTIFIER) when stderr is the journal,
// plain stderr otherwise. Format strings stay compile-time checked; never pre-format.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace gamesched {

void init_logging(const std::string& identifier, bool verbose);

// The identifier given to init_logging (SYSLOG_IDENTIFIER of structured entries).
const std::string& log_identifier();

// True when stderr is connected to the journal (systemd's JOURNAL_STREAM matches it).
bool stderr_is_journal();

// Peer-supplied text is escaped before it reaches a log line (no control characters, bounded).
std::string printable(std::string_view untrusted, std::size_t max_len = 200);

}  // namespace gamesched
