#include "util/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>

#include <sys/stat.h>
#include <cstdio>
#include <cstdlib>

namespace gamesched {
namespace {
std::string& identifier_storage() {
    static std::string identifier = "gamesched";
    return identifier;
}
}  // namespace

const std::string& log_identifier() {
    return identifier_storage();
}

// systemd sets JOURNAL_STREAM to "dev:ino" of the stream it connected to stderr.
bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return false;
    struct stat st {};
    if (fstat(STDERR_FILENO, &st) != 0) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
    return st.st_dev == dev && st.st_ino == ino;
}

void init_logging(const std::string& identifier, bool verbose) {
    identifier_storage() = identifier;
    std::shared_ptr<spdlog::logger> logger;
    if (stderr_is_journal()) {
        logger = std::make_shared<spdlog::logger>(
            identifier, std::make_shared<spdlog::sinks::systemd_sink_mt>(identifier));
    } else {
        logger = spdlog::stderr_logger_mt(identifier);
        logger->set_pattern("%H:%M:%S.%e %n %^%l%$: %v");
    }
    logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    spdlog::set_default_logger(logger);
}

std::string printable(std::string_view untrusted, std::size_t max_len) {
    std::string out;
    for (unsigned char c : untrusted.substr(0, max_len)) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    if (untrusted.size() > max_len) out += "...";
    return out;
}

}  // namespace gamesched
