#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include "core/libbpf_owners.h"

namespace gamesched {
namespace {

int forward_libbpf_message(enum libbpf_print_level level, const char* format, va_list args) {
    char buf[4096];
    int n = std::vsnprintf(buf, sizeof buf, format, args);
    std::string line(buf, n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
    while (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.rfind("libbpf: ", 0) == 0) line.erase(0, 8);
    switch (level) {
        case LIBBPF_WARN:
            spdlog::warn("libbpf: {}", line);
            break;
        case LIBBPF_INFO:
            spdlog::info("libbpf: {}", line);
            break;
        default:
            spdlog::debug("libbpf: {}", line);
            break;
    }
    return n;
}

}  // namespace

void route_libbpf_logs_to_spdlog() {
    libbpf_set_print(forward_libbpf_message);
}

}  // namespace gamesched
