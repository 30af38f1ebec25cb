// A minimal X11 client for the real-KWin tests: maps one window with a WM_CLASS and, with
// --net-wm-pid, announces its process the way Wine (and Xlib's XSetWMProperties users) do:
// _NET_WM_PID plus WM_CLIENT_MACHINE. Without it the window carries no process information at
// all, as xlogo/xmessage, so only the X server's own record of the connection can name the pid.
// Runs until killed; prints "mapped 0x<window>" on stdout once the window is mapped.
#include <xcb/xcb.h>
#include <xcb/xproto.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace {

struct ConnectionDeleter {
    void operator()(xcb_connection_t* c) const { xcb_disconnect(c); }
};

xcb_atom_t intern(xcb_connection_t* c, const char* name) {
    const auto cookie = xcb_intern_atom(c, 0, static_cast<uint16_t>(std::strlen(name)), name);
    std::unique_ptr<xcb_intern_atom_reply_t, decltype(&std::free)> reply(
        xcb_intern_atom_reply(c, cookie, nullptr), &std::free);
    return reply ? reply->atom : static_cast<xcb_atom_t>(XCB_ATOM_NONE);
}

void set_string(xcb_connection_t* c, xcb_window_t window, xcb_atom_t property, const std::string& value) {
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, window, property, XCB_ATOM_STRING, 8,
                        static_cast<uint32_t>(value.size()), value.data());
}

int usage() {
    std::fputs("usage: x11-window [--net-wm-pid] CLASS\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    bool announce_pid = false;
    std::string window_class;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--net-wm-pid") {
            announce_pid = true;
        } else if (window_class.empty() && !arg.starts_with("-")) {
            window_class = arg;
        } else {
            return usage();
        }
    }
    if (window_class.empty()) return usage();

    std::unique_ptr<xcb_connection_t, ConnectionDeleter> conn(xcb_connect(nullptr, nullptr));
    if (xcb_connection_has_error(conn.get()) != 0) {
        std::fprintf(stderr, "x11-window: cannot connect to the X server (DISPLAY=%s)\n",
                     std::getenv("DISPLAY") != nullptr ? std::getenv("DISPLAY") : "");
        return 1;
    }
    xcb_connection_t* c = conn.get();
    const xcb_screen_t* screen = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
    const xcb_window_t window = xcb_generate_id(c);
    const uint32_t values[] = {screen->white_pixel,
                               XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_STRUCTURE_NOTIFY};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, window, screen->root, 0, 0, 200, 120, 0,
                      XCB_WINDOW_CLASS_INPUT_OUTPUT, screen->root_visual,
                      XCB_CW_BACK_PIXEL | XCB_CW_EVENT_MASK, values);

    // WM_CLASS is "instance\0class\0".
    const std::string wm_class = window_class + '\0' + window_class + '\0';
    set_string(c, window, XCB_ATOM_WM_CLASS, wm_class);
    set_string(c, window, XCB_ATOM_WM_NAME, window_class);
    if (announce_pid) {
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        set_string(c, window, XCB_ATOM_WM_CLIENT_MACHINE, host);
        const uint32_t pid = static_cast<uint32_t>(::getpid());
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, window, intern(c, "_NET_WM_PID"), XCB_ATOM_CARDINAL, 32,
                            1, &pid);
    }
    xcb_map_window(c, window);
    xcb_flush(c);

    bool announced = false;
    while (auto* event = xcb_wait_for_event(c)) {
        const auto type = event->response_type & 0x7f;
        std::free(event);
        if (type == XCB_MAP_NOTIFY && !announced) {
            std::printf("mapped 0x%x\n", window);
            std::fflush(stdout);
            announced = true;
        }
    }
    return 0;  // the X server went away
}
