// What gamesched-mlcollect answers on its own socket (gameschedctl profile …, ml export): one JSON
// request in, a body out. The socket side (request_socket.h) frames it; this part only reads the
// stores and asks the collector for the changes (pin, reset), so that a run in progress and the
// collector's cache stay consistent with the files.
#pragma once

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "helpers/mlcollect/collector.h"
#include "helpers/mlcollect/profile_store.h"

namespace gamesched::ml {

struct RequestContext {
    ProfileStore& profiles;
    std::filesystem::path samples_dir;
    Collector& collector;
};

// request: {"request": NAME, "game": KEY or name (where one is wanted)}. NAME is profile_list,
// profile_show, profile_pin, profile_unpin, profile_reset, profile_export or samples_csv. The
// body is JSON, except for samples_csv (CSV). An error means nothing was changed.
Status handle_request(const nlohmann::json& request, RequestContext& context, std::ostream& body);

// The summary `profile list` shows for one profile.
[[nodiscard]] nlohmann::json profile_summary(const Profile& profile);

}  // namespace gamesched::ml
