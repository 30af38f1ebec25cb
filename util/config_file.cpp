#include "util/config_file.h"

#include "util/log.h"
#include "util/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace gamesched {
namespace {

// A configuration file is a few hundred bytes; anything this large is a mistake.
constexpr std::size_t kMaxConfigBytes = 256 * 1024;

constexpr std::string_view kBlanks = " \t\r";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kBlanks);
    return text.substr(first, last - first + 1);
}

bool valid_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// One line split into its parts; where the value ends, the comment (with its leading blanks)
// begins. Values never contain '#', so a '#' after a blank always starts a comment.
struct LineParts {
    std::string_view indent, key, value, comment;
};

enum class LineKind { blank, setting, malformed };

LineKind split_line(std::string_view line, LineParts& parts) {
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') return LineKind::blank;
    parts.indent = line.substr(0, line.find_first_not_of(kBlanks));
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return LineKind::malformed;
    parts.key = trim(line.substr(0, eq));
    std::string_view rest = line.substr(eq + 1);
    std::size_t comment_at = std::string_view::npos;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
            comment_at = i;
            break;
        }
    }
    if (comment_at != std::string_view::npos) {
        const auto value_end = rest.substr(0, comment_at).find_last_not_of(kBlanks);
        const std::size_t cut = value_end == std::string_view::npos ? 0 : value_end + 1;
        parts.comment = rest.substr(cut);
        rest = rest.substr(0, cut);
    } else {
        parts.comment = {};
    }
    parts.value = trim(rest);
    return LineKind::setting;
}

template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
    int number = 0;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        visit(++number, line, eol != std::string_view::npos);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    }
}

}  // namespace

Result<std::vector<ConfigSetting>> parse_config_text(std::string_view text, const std::string& origin) {
    std::vector<ConfigSetting> settings;
    std::optional<Error> error;
    for_each_line(text, [&](int number, std::string_view line, bool) {
        if (error) return;
        const std::string where = origin + ":" + std::to_string(number) + ": ";
        LineParts parts;
        switch (split_line(line, parts)) {
            case LineKind::blank:
                return;
            case LineKind::malformed:
                error = Error::invalid(where + "expected 'key = value' or a '#' comment, got '" +
                                       printable(trim(line), 80) + "'");
                return;
            case LineKind::setting:
                break;
        }
        if (!valid_key(parts.key)) {
            error = Error::invalid(where + "'" + printable(parts.key, 80) +
                                   "' is not a key (keys are lower-case letters, digits and '_')");
            return;
        }
        if (parts.value.empty()) {
            error = Error::invalid(where + "'" + std::string(parts.key) + "' has no value");
            return;
        }
        for (const auto& earlier : settings) {
            if (earlier.key == parts.key) {
                error = Error::invalid(where + "'" + earlier.key + "' is already set on line " +
                                       std::to_string(earlier.line) + "; keep one of the two");
                return;
            }
        }
        settings.push_back({std::string(parts.key), std::string(parts.value), number});
    });
    if (error) return *error;
    return settings;
}

std::string set_config_value(std::string_view text, std::string_view key, std::string_view value) {
    std::string out;
    bool replaced = false;
    for_each_line(text, [&](int, std::string_view line, bool had_newline) {
        LineParts parts;
        if (!replaced && split_line(line, parts) == LineKind::setting && parts.key == key) {
            out.append(parts.indent).append(key).append(" = ").append(value).append(parts.comment);
            replaced = true;
        } else {
            out.append(line);
        }
        if (had_newline) out.push_back('\n');
    });
    if (!replaced) {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
        out.append(key).append(" = ").append(value).push_back('\n');
    }
    return out;
}

Result<std::string> read_text_file(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno("cannot open " + path);
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("cannot read " + path);
        if (n == 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxConfigBytes) {
            return Error::invalid(path + " is larger than " + std::to_string(kMaxConfigBytes / 1024) +
                                  " KiB; that is not a configuration file");
        }
    }
}

Status write_file_atomically(const std::string& path, std::string_view text, mode_t mode) {
    std::string temp = path + ".XXXXXX";
    UniqueFd fd(mkostemp(temp.data(), O_CLOEXEC));
    if (!fd) return Error::from_errno("cannot create a temporary file next to " + path);
    auto fail = [&](const std::string& what) {
        const int err = errno;
        unlink(temp.c_str());
        return Error::from_errno(what, err);
    };
    if (fchmod(fd.get(), mode) != 0) return fail("fchmod " + temp);
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("write " + temp);
        done += static_cast<std::size_t>(n);
    }
    if (fsync(fd.get()) != 0) return fail("fsync " + temp);
    fd.reset();
    if (rename(temp.c_str(), path.c_str()) != 0) return fail("rename " + temp + " to " + path);
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    UniqueFd dir_fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd) (void)fsync(dir_fd.get());  // the rename itself is durable only after this
    return Ok{};
}

}  // namespace gamesched
