// Writes the fuzzer's seed corpus: every round-trip example of the unit tests, each prefixed with
// the selector byte ipc_decoder_fuzzer.cpp reads (bit 0: control channel, bit 1: server record).
#include "tests/unit/ipc/examples.h"

#include <fstream>
#include <iostream>
#include <string>

using namespace gamesched::ipc;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: ipc-fuzz-seeds DIRECTORY\n";
        return 2;
    }
    const std::string dir = argv[1];
    int count = 0;
    const auto write = [&](char selector, const std::string& record) {
        std::ofstream(dir + "/seed-" + std::to_string(count++), std::ios::binary) << selector << record;
    };
    for (const auto& example : test::request_examples()) {
        write(example.channel == Channel::control ? 1 : 0, encode_request(example.request));
    }
    for (const auto& push : test::push_examples()) write(3, encode_push(push));
    for (const auto& reply : test::reply_examples()) write(2, encode_reply(reply));
    std::cout << count << " seeds written to " << dir << "\n";
    return 0;
}
