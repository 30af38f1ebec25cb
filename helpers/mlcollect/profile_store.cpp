#include "helpers/mlcollect/profile_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "helpers/mlcollect/sample_store.h"
#include "util/unique_fd.h"

namespace gamesched::ml {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kStatusNames[] = {"tuning", "learned", "defaults_best"};

Result<TunableValues> tunables_from(const json& j, const char* what) {
    if (!j.is_object()) return Error::invalid(std::string(what) + " is not an object");
    TunableValues out;
    for (const auto& [name, v] : j.items()) {
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
            return Error::invalid(std::string(what) + "." + name + " is not a count");
        out[name] = v.get<std::uint64_t>();
    }
    return out;
}

std::optional<double> optional_number(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

}  // namespace

std::string_view status_name(ProfileStatus status) {
    return kStatusNames[static_cast<std::size_t>(status)];
}

json Profile::to_json() const {
    json results_json = json::array();
    for (const auto& r : results) {
        results_json.push_back({{"tunables", r.tunables},
                                {"score", r.score ? json(*r.score) : json()},
                                {"baseline", r.baseline}});
    }
    return {{"schema", kProfileSchema},
            {"key", key},
            {"name", name},
            {"status", status_name(status)},
            {"pinned", pinned},
            {"tunables", tunables},
            {"baseline", baseline},
            {"searched", searched},
            {"score", score ? json(*score) : json()},
            {"baseline_score", baseline_score ? json(*baseline_score) : json()},
            {"updated_ms", updated_ms},
            {"results", results_json}};
}

Result<Profile> Profile::from_json(const json& j) {
    if (!j.is_object()) return Error::invalid("not a JSON object");
    if (j.value("schema", 0) != kProfileSchema)
        return Error::invalid("profile schema " + j.value("schema", json()).dump() + " is not " +
                              std::to_string(kProfileSchema) + "; reset it with gameschedctl profile reset");
    Profile p;
    p.key = j.value("key", "");
    if (p.key.empty()) return Error::invalid("profile without a key");
    p.name = j.value("name", "");
    const std::string status = j.value("status", "");
    auto it = std::find(std::begin(kStatusNames), std::end(kStatusNames), status);
    if (it == std::end(kStatusNames)) return Error::invalid("unknown profile status '" + status + "'");
    p.status = static_cast<ProfileStatus>(it - std::begin(kStatusNames));
    p.pinned = j.value("pinned", false);
    auto t = tunables_from(j.value("tunables", json::object()), "tunables");
    if (!t) return t.error();
    p.tunables = *t;
    auto b = tunables_from(j.value("baseline", json::object()), "baseline");
    if (!b) return b.error();
    p.baseline = *b;
    for (const auto& s : j.value("searched", json::array()))
        if (s.is_string()) p.searched.push_back(s.get<std::string>());
    p.score = optional_number(j, "score");
    p.baseline_score = optional_number(j, "baseline_score");
    p.updated_ms = j.value("updated_ms", std::int64_t{0});
    for (const auto& r : j.value("results", json::array())) {
        auto rt = tunables_from(r.value("tunables", json::object()), "results[].tunables");
        if (!rt) return rt.error();
        p.results.push_back({*rt, optional_number(r, "score"), r.value("baseline", false)});
    }
    return p;
}

fs::path ProfileStore::file_for(const std::string& key) const {
    return dir_ / (stem_for_key(key) + ".json");
}

std::vector<Profile> ProfileStore::list(std::vector<std::string>* problems) const {
    std::vector<Profile> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        auto j = json::parse(in, nullptr, false);
        auto p = j.is_discarded() ? Result<Profile>(Error::invalid("not JSON")) : Profile::from_json(j);
        if (p) {
            out.push_back(std::move(*p));
        } else if (problems) {
            problems->push_back(entry.path().string() + ": " + p.error().message);
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return out;
}

Result<std::optional<Profile>> ProfileStore::get(const std::string& key) const {
    const fs::path file = file_for(key);
    std::ifstream in(file);
    if (!in) {
        if (errno == ENOENT) return std::optional<Profile>{};
        return Error::from_errno("opening " + file.string());
    }
    auto j = json::parse(in, nullptr, false);
    if (j.is_discarded()) return Error::invalid(file.string() + " is not JSON; reset the profile");
    auto p = Profile::from_json(j);
    if (!p) return p.error().context(file.string());
    return std::optional<Profile>(std::move(*p));
}

Status ProfileStore::save(const Profile& profile) const {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Error{ec.value(), "creating " + dir_.string() + ": " + ec.message()};
    const fs::path file = file_for(profile.key);
    const fs::path tmp = file.string() + ".tmp";
    const std::string text = profile.to_json().dump(2) + "\n";
    {
        UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640));
        if (!fd) return Error::from_errno("creating " + tmp.string());
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const Error e = Error::from_errno("writing " + tmp.string(), n < 0 ? errno : EIO);
                fs::remove(tmp, ec);
                return e;
            }
            done += static_cast<std::size_t>(n);
        }
        if (fsync(fd.get()) != 0) {
            const Error e = Error::from_errno("flushing " + tmp.string());
            fs::remove(tmp, ec);
            return e;
        }
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        const Error e = Error::from_errno("replacing " + file.string());
        fs::remove(tmp, ec);
        return e;
    }
    UniqueFd dir(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) (void)fsync(dir.get());  // the rename itself durable; best effort
    return Ok{};
}

Result<bool> ProfileStore::remove(const std::string& key) const {
    std::error_code ec;
    const bool removed = fs::remove(file_for(key), ec);
    if (ec) return Error{ec.value(), "removing the profile of " + key + ": " + ec.message()};
    return removed;
}

}  // namespace gamesched::ml
