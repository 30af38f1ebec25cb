#include "core/thread_roles.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace gamesched {
namespace {

std::optional<gs_role> role_from_name(const std::string& name) {
    if (name == "input") return GS_ROLE_INPUT;
    if (name == "render") return GS_ROLE_RENDER;
    if (name == "gpu_submit") return GS_ROLE_GPU_SUBMIT;
    if (name == "audio") return GS_ROLE_AUDIO;
    if (name == "worker") return GS_ROLE_WORKER;
    return std::nullopt;
}

}  // namespace

Result<std::map<std::string, gs_role>> parse_thread_roles(const std::string& text) {
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return Error::invalid("not a JSON object");
    auto roles = doc.find("roles");
    if (roles == doc.end() || !roles->is_object()) return Error::invalid("missing object \"roles\"");
    std::map<std::string, gs_role> out;
    for (const auto& [name, value] : roles->items()) {
        if (name.empty() || name.size() >= GS_COMM_LEN) {
            return Error::invalid("thread name \"" + name +
                                  "\" must be 1-15 bytes (the kernel's comm length)");
        }
        if (!value.is_string()) return Error::invalid("role of \"" + name + "\" must be a string");
        auto role = role_from_name(value.get<std::string>());
        if (!role) {
            return Error::invalid("unknown role \"" + value.get<std::string>() + "\" for \"" + name +
                                  "\" (use input, render, gpu_submit, audio or worker)");
        }
        out[name] = *role;
    }
    return out;
}

Result<std::map<std::string, gs_role>> load_thread_roles(const std::vector<std::string>& paths) {
    std::map<std::string, gs_role> merged;
    for (const auto& path : paths) {
        std::ifstream in(path);
        if (!in) continue;
        std::stringstream ss;
        ss << in.rdbuf();
        auto parsed = parse_thread_roles(ss.str());
        if (!parsed) return parsed.error().context(path);
        for (auto& [k, v] : *parsed) merged[k] = v;
    }
    return merged;
}

}  // namespace gamesched
