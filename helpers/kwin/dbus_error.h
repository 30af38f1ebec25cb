// sdbus-c++ reports failures as exceptions; the helper's paths return Result. This is the seam.
#pragma once

#include "util/result.h"

#include <sdbus-c++/Error.h>

#include <string>

namespace gamesched::kwin {

inline Error from_dbus(const std::string& what, const sdbus::Error& e) {
    return Error{0, what + ": " + e.getName() + ": " + e.getMessage()};
}

// The error names a bus peer uses for "nothing here": the object, interface or method is absent.
inline bool is_missing_object(const sdbus::Error& e) {
    const std::string& name = e.getName();
    return name == "org.freedesktop.DBus.Error.UnknownObject" ||
           name == "org.freedesktop.DBus.Error.UnknownInterface" ||
           name == "org.freedesktop.DBus.Error.UnknownMethod";
}

}  // namespace gamesched::kwin
