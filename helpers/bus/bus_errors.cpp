#include "helpers/bus/bus_errors.h"

#include <cerrno>

namespace gamesched::bus {

sdbus::Error to_bus_error(const ipc::CallError& error, bool about_processes) {
    if (!error.refused()) {
        return sdbus::Error(error_name::kCoreUnavailable,
                            "gamesched-core is not reachable (" + error.message() +
                                "); is gamesched.service running? Start() starts it");
    }
    switch (error.error.code) {
        case EPERM:
            return sdbus::Error(about_processes ? error_name::kNotYours : error_name::kPermissionDenied,
                                error.message());
        case ESRCH:
            // The core answers another user's process and a missing one alike ("is not one of
            // your processes, or does not exist"), so that nobody learns of others' processes.
            return sdbus::Error(about_processes ? error_name::kNotYours : error_name::kNoSuchProcess,
                                error.message());
        case EAGAIN:
        case EDQUOT:
        case ENOSPC:
            return sdbus::Error(error_name::kLimitExceeded, error.message());
        case EINVAL:
            return sdbus::Error(error_name::kInvalidArgs, error.message());
        default:
            return sdbus::Error(error_name::kRefused, error.message());
    }
}

}  // namespace gamesched::bus
