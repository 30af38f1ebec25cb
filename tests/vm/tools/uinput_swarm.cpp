// Guest-side load for the hardening scenario: creates COUNT uinput keyboards (distinct product
// ids, as a user with /dev/uinput access could), prints "ready COUNT" and keeps them for SECONDS.
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <linux/input.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

struct UinputDeleter {
    void operator()(libevdev_uinput* device) const { libevdev_uinput_destroy(device); }
};

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 100;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    std::vector<std::unique_ptr<libevdev_uinput, UinputDeleter>> devices;
    for (int i = 0; i < count; ++i) {
        std::unique_ptr<libevdev, decltype(&libevdev_free)> dev(libevdev_new(), libevdev_free);
        libevdev_set_name(dev.get(), "gamesched swarm keyboard");
        libevdev_set_id_bustype(dev.get(), BUS_USB);
        libevdev_set_id_vendor(dev.get(), 0x7a7a);
        libevdev_set_id_product(dev.get(), 0x1000 + i);
        libevdev_enable_event_type(dev.get(), EV_KEY);
        for (unsigned code : {KEY_A, KEY_Z, KEY_SPACE, KEY_ENTER})
            libevdev_enable_event_code(dev.get(), EV_KEY, code, nullptr);
        libevdev_uinput* raw = nullptr;
        if (libevdev_uinput_create_from_device(dev.get(), LIBEVDEV_UINPUT_OPEN_MANAGED, &raw) != 0) {
            std::fprintf(stderr, "uinput-swarm: device %d could not be created\n", i);
            return 1;
        }
        devices.emplace_back(raw);
    }
    std::printf("ready %zu\n", devices.size());
    std::fflush(stdout);
    sleep(static_cast<unsigned>(seconds));
    return 0;
}
