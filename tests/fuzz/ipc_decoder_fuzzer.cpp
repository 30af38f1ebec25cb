// libFuzzer target for the protocol decoders. The first byte picks the decoder (request or
// server record, hints or control channel); the rest is one record. Besides "never crash", it
// checks that whatever decodes re-encodes to a record that decodes to the same value.
#include "ipc/codec.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace gamesched::ipc;

namespace {

void check_request(std::string_view record, Channel channel) {
    auto decoded = decode_request(record, channel);
    if (!decoded) {
        if (decoded.error().message.empty()) __builtin_trap();  // every refusal says why
        return;
    }
    auto again = decode_request(encode_request(*decoded), channel);
    if (!again || !(*again == *decoded)) __builtin_trap();
}

void check_server_record(std::string_view record, Channel channel) {
    auto decoded = decode_server_record(record, channel);
    if (!decoded) return;
    const std::string encoded = std::holds_alternative<Reply>(*decoded)
                                    ? encode_reply(std::get<Reply>(*decoded))
                                    : encode_push(std::get<Message>(*decoded));
    auto again = decode_server_record(encoded, channel);
    if (!again || !(*again == *decoded)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view record(reinterpret_cast<const char*>(data + 1), size - 1);
    const Channel channel = (data[0] & 1) != 0 ? Channel::control : Channel::hints;
    if ((data[0] & 2) == 0) {
        check_request(record, channel);
    } else {
        check_server_record(record, channel);
    }
    return 0;
}
