#include "helpers/kwin/x11_window_pid.h"

#include <poll.h>
#include <xcb/res.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>  // xcb_poll_for_reply: waiting for a reply with a bound

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace gamesched::kwin {
namespace {

using Clock = std::chrono::steady_clock;

struct ConnectionDeleter {
    void operator()(xcb_connection_t* c) const { xcb_disconnect(c); }
};
using Connection = std::unique_ptr<xcb_connection_t, ConnectionDeleter>;

struct FreeDeleter {
    void operator()(void* p) const {
        std::free(p);
    }  // NOLINT(cppcoreguidelines-no-malloc): libxcb's contract
};
template <typename T>
using Reply = std::unique_ptr<T, FreeDeleter>;

// Waits for the reply to one request until the deadline. libxcb's own *_reply() calls block
// without bound; polling its descriptor keeps a wedged X server from stalling the helper.
template <typename T>
Result<Reply<T>> await_reply(xcb_connection_t* c, unsigned int sequence, Clock::time_point deadline,
                             const char* what) {
    xcb_flush(c);
    for (;;) {
        void* reply = nullptr;
        xcb_generic_error_t* error = nullptr;
        if (xcb_poll_for_reply(c, sequence, &reply, &error) != 0) {
            if (error != nullptr) {
                const int code = error->error_code;
                std::free(error);  // NOLINT(cppcoreguidelines-no-malloc): libxcb's contract
                return Error::invalid(std::string(what) + ": X error " + std::to_string(code));
            }
            if (reply == nullptr) return Error::invalid(std::string(what) + ": the X connection broke");
            return Reply<T>(static_cast<T*>(reply));
        }
        if (xcb_connection_has_error(c) != 0)
            return Error::invalid(std::string(what) + ": the X connection broke");
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return Error::invalid(std::string(what) + ": the X server did not answer in time");
        pollfd pfd{.fd = xcb_get_file_descriptor(c), .events = POLLIN, .revents = 0};
        ::poll(&pfd, 1, static_cast<int>(left.count()));
    }
}

bool same_class(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

Result<xcb_window_t> active_window(xcb_connection_t* c, xcb_window_t root, Clock::time_point deadline) {
    constexpr std::string_view kName = "_NET_ACTIVE_WINDOW";
    const auto atom_cookie = xcb_intern_atom(c, 1, kName.size(), kName.data());
    auto atom = await_reply<xcb_intern_atom_reply_t>(c, atom_cookie.sequence, deadline, "InternAtom");
    if (!atom) return atom.error();
    if ((*atom)->atom == XCB_ATOM_NONE)
        return Error::invalid("no window manager maintains _NET_ACTIVE_WINDOW");
    const auto cookie = xcb_get_property(c, 0, root, (*atom)->atom, XCB_ATOM_WINDOW, 0, 1);
    auto prop = await_reply<xcb_get_property_reply_t>(c, cookie.sequence, deadline,
                                                      "GetProperty(_NET_ACTIVE_WINDOW)");
    if (!prop) return prop.error();
    if ((*prop)->format != 32 || xcb_get_property_value_length(prop->get()) < 4) {
        return Error::invalid("no X11 window is active");
    }
    xcb_window_t window = 0;
    std::memcpy(&window, xcb_get_property_value(prop->get()), sizeof window);
    if (window == XCB_WINDOW_NONE) return Error::invalid("no X11 window is active");
    return window;
}

// WM_CLASS is "instance\0class\0"; the class is what KWin calls resourceClass.
Result<std::string> window_class(xcb_connection_t* c, xcb_window_t window, Clock::time_point deadline) {
    const auto cookie = xcb_get_property(c, 0, window, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, 0, 64);
    auto prop = await_reply<xcb_get_property_reply_t>(c, cookie.sequence, deadline, "GetProperty(WM_CLASS)");
    if (!prop) return prop.error();
    const auto length = static_cast<std::size_t>(std::max(0, xcb_get_property_value_length(prop->get())));
    const std::string value(static_cast<const char*>(xcb_get_property_value(prop->get())), length);
    const auto end_of_instance = value.find('\0');
    if (end_of_instance == std::string::npos) return std::string();
    std::string cls = value.substr(end_of_instance + 1);
    if (const auto nul = cls.find('\0'); nul != std::string::npos) cls.resize(nul);
    return cls;
}

Result<pid_t> client_pid(xcb_connection_t* c, xcb_window_t window, Clock::time_point deadline) {
    const auto version_cookie = xcb_res_query_version(c, 1, 2);
    auto version =
        await_reply<xcb_res_query_version_reply_t>(c, version_cookie.sequence, deadline, "XResQueryVersion");
    if (!version) return version.error();
    if ((*version)->server_major < 1 || ((*version)->server_major == 1 && (*version)->server_minor < 2)) {
        return Error::invalid("the X server's X-Resource extension is older than 1.2 (no client pids)");
    }
    const xcb_res_client_id_spec_t spec{.client = window, .mask = XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
    const auto cookie = xcb_res_query_client_ids(c, 1, &spec);
    auto ids =
        await_reply<xcb_res_query_client_ids_reply_t>(c, cookie.sequence, deadline, "XResQueryClientIds");
    if (!ids) return ids.error();
    for (auto it = xcb_res_query_client_ids_ids_iterator(ids->get()); it.rem > 0;
         xcb_res_client_id_value_next(&it)) {
        if ((it.data->spec.mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) == 0 ||
            xcb_res_client_id_value_value_length(it.data) != 1) {
            continue;
        }
        const auto pid = static_cast<pid_t>(*xcb_res_client_id_value_value(it.data));
        if (pid > 0) return pid;
    }
    return Error::invalid("the X server does not know the process of window's client (not a local client?)");
}

}  // namespace

Result<pid_t> XResWindowPidLookup::active_x11_window_pid(std::string_view resource_class) {
    if (display_.empty()) return Error::invalid("DISPLAY is not set, so the X server cannot be asked");
    const auto deadline = Clock::now() + reply_timeout_;
    // libxcb connects and exchanges the set-up synchronously; Xwayland answers that at once unless
    // it hangs, and then KWin (its window manager) hangs with it.
    Connection conn(xcb_connect(display_.c_str(), nullptr));
    if (xcb_connection_has_error(conn.get()) != 0) {
        return Error::invalid("cannot connect to the X server at DISPLAY=" + display_);
    }
    const xcb_screen_t* screen = xcb_setup_roots_iterator(xcb_get_setup(conn.get())).data;
    if (screen == nullptr) return Error::invalid("the X server at " + display_ + " has no screen");

    auto window = active_window(conn.get(), screen->root, deadline);
    if (!window) return window.error();
    auto cls = window_class(conn.get(), *window, deadline);
    if (!cls) return cls.error();
    if (!same_class(*cls, resource_class)) {
        return Error::invalid("the active X11 window is of class '" + *cls + "', not '" +
                              std::string(resource_class) +
                              "' (focus moved on, or the window is not an X11 one)");
    }
    return client_pid(conn.get(), *window, deadline);
}

}  // namespace gamesched::kwin
