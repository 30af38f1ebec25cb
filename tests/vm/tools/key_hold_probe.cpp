// Guest-side probe for key-hold: a uinput keyboard with kernel autorepeat (EV_REP, 250 ms delay,
// 33 ms period, as the input core sets up for real keyboards) holds a key for HOLD_MS, then
// releases it. Meanwhile it reads the device through evdev (what a game or compositor sees) and
// samples the scheduler's input_state every few milliseconds. Prints one JSON line:
//   evdev_repeats        autorepeat events (value 2) evdev delivered during the hold;
//   bpf_events_in_hold   how often input_state.last_event_ns moved during the hold, i.e. how many
//                        events reached the fentry/input_event program after the press;
//   open_pct_in_hold     share of samples during the hold with the keyboard window open;
//   end_after_press_ms   where the window's end was put by the press (from the press);
//   end_after_release_ms where the release put it (from the release);
//   closed_after_ms      time from the release until the window was seen closed (-1: never,
//                        within 10 s).
#include <bpf/bpf.h>
#include <fcntl.h>
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <linux/input.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "bpf/intf.h"
#include "util/unique_fd.h"

namespace {

using gamesched::UniqueFd;

uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

UniqueFd find_map(const char* name) {
    uint32_t id = 0;
    while (bpf_map_get_next_id(id, &id) == 0) {
        UniqueFd fd(bpf_map_get_fd_by_id(id));
        if (!fd) continue;
        bpf_map_info info{};
        uint32_t len = sizeof info;
        if (bpf_map_get_info_by_fd(fd.get(), &info, &len) == 0 && std::strcmp(info.name, name) == 0)
            return fd;
    }
    return UniqueFd();
}

struct Sampler {
    int map_fd;
    uint64_t last_event = 0;
    uint64_t window_end = 0;
    int moves = 0;

    // Whether the keyboard window is open now; counts moves of last_event_ns.
    bool sample() {
        uint32_t zero = 0;
        gs_input_state st{};
        if (bpf_map_lookup_elem(map_fd, &zero, &st) != 0) return false;
        if (st.last_event_ns[GS_INPUT_KEYBOARD] != last_event) {
            last_event = st.last_event_ns[GS_INPUT_KEYBOARD];
            ++moves;
        }
        window_end = st.window_end_ns[GS_INPUT_KEYBOARD];
        return window_end > now_ns();
    }

    // The window's end, in ms from t, once the scheduler has handled an event written at t (the
    // userspace path takes an event loop turn); -1 if it never does within a second.
    double end_after(uint64_t t) {
        for (const uint64_t deadline = t + 1000000000ULL; now_ns() < deadline; usleep(200)) {
            sample();
            if (last_event >= t) return window_end > t ? static_cast<double>(window_end - t) / 1e6 : 0.0;
        }
        return -1;
    }
};

int count_repeats(libevdev* reader) {
    int repeats = 0;
    input_event ev{};
    int rc = 0;
    while ((rc = libevdev_next_event(reader, LIBEVDEV_READ_FLAG_NORMAL, &ev)) >= 0) {
        if (rc == LIBEVDEV_READ_STATUS_SUCCESS && ev.type == EV_KEY && ev.value == 2) ++repeats;
    }
    return repeats;
}

void key(libevdev_uinput* uinput, int value) {
    libevdev_uinput_write_event(uinput, EV_KEY, KEY_A, value);
    libevdev_uinput_write_event(uinput, EV_SYN, SYN_REPORT, 0);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: key-hold-probe HOLD_MS [SETTLE_MS]\n");
        return 2;
    }
    const uint64_t hold_ns = std::strtoull(argv[1], nullptr, 10) * 1000000ULL;
    const int settle_ms = argc > 2 ? std::atoi(argv[2]) : 1500;

    std::unique_ptr<libevdev, void (*)(libevdev*)> dev(libevdev_new(), libevdev_free);
    libevdev_set_name(dev.get(), "gamesched key-hold probe");
    libevdev_set_id_bustype(dev.get(), BUS_USB);
    libevdev_set_id_vendor(dev.get(), 0xfeed);
    libevdev_set_id_product(dev.get(), 0x4b48);
    for (unsigned k = KEY_ESC; k <= KEY_SPACE; ++k) libevdev_enable_event_code(dev.get(), EV_KEY, k, nullptr);
    int delay_ms = 250, period_ms = 33;
    libevdev_enable_event_code(dev.get(), EV_REP, REP_DELAY, &delay_ms);
    libevdev_enable_event_code(dev.get(), EV_REP, REP_PERIOD, &period_ms);
    libevdev_uinput* raw = nullptr;
    if (int err = libevdev_uinput_create_from_device(dev.get(), LIBEVDEV_UINPUT_OPEN_MANAGED, &raw);
        err != 0) {
        std::fprintf(stderr, "key-hold-probe: cannot create a uinput device: %s\n", std::strerror(-err));
        return 1;
    }
    std::unique_ptr<libevdev_uinput, void (*)(libevdev_uinput*)> uinput(raw, libevdev_uinput_destroy);
    const char* node = libevdev_uinput_get_devnode(uinput.get());
    UniqueFd node_fd(node != nullptr ? ::open(node, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1);
    libevdev* reader_raw = nullptr;
    if (!node_fd || libevdev_new_from_fd(node_fd.get(), &reader_raw) != 0) {
        std::fprintf(stderr, "key-hold-probe: cannot read the device's evdev node %s\n", node ? node : "?");
        return 1;
    }
    std::unique_ptr<libevdev, void (*)(libevdev*)> reader(reader_raw, libevdev_free);
    usleep(static_cast<useconds_t>(settle_ms) * 1000);  // the core classifies the new node via inotify

    UniqueFd state_fd = find_map("input_state");
    if (!state_fd) {
        std::fprintf(stderr, "key-hold-probe: no input_state map: is gamesched-core running?\n");
        return 1;
    }
    Sampler sampler{state_fd.get()};
    sampler.sample();
    count_repeats(reader.get());

    const uint64_t pressed = now_ns();
    key(uinput.get(), 1);
    const double end_after_press_ms = sampler.end_after(pressed);
    sampler.moves = 0;  // the press itself
    int samples = 0, open = 0, repeats = 0;
    while (now_ns() - pressed < hold_ns) {
        ++samples;
        if (sampler.sample()) ++open;
        repeats += count_repeats(reader.get());
        usleep(5000);
    }
    const int events_in_hold = sampler.moves;

    const uint64_t released = now_ns();
    key(uinput.get(), 0);
    const double end_after_release_ms = sampler.end_after(released);
    long closed_after_ms = -1;
    while (now_ns() - released < 10000000000ULL) {
        if (!sampler.sample()) {
            closed_after_ms = static_cast<long>((now_ns() - released) / 1000000ULL);
            break;
        }
        usleep(2000);
    }
    std::printf(
        "{\"hold_ms\":%llu,\"evdev_repeats\":%d,\"bpf_events_in_hold\":%d,\"samples_in_hold\":%d,"
        "\"open_pct_in_hold\":%.1f,\"end_after_press_ms\":%.1f,\"end_after_release_ms\":%.1f,"
        "\"closed_after_ms\":%ld}\n",
        static_cast<unsigned long long>(hold_ns / 1000000ULL), repeats, events_in_hold, samples,
        samples ? 100.0 * open / samples : 0.0, end_after_press_ms, end_after_release_ms, closed_after_ms);
    return 0;
}
