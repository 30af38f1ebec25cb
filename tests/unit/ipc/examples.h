// One valid example of every message, used by the round-trip tests and as the fuzzer's seeds.
#pragma once

#include "ipc/codec.h"

#include <vector>

namespace gamesched::ipc::test {

struct RequestExample {
    Channel channel;
    Request request;
};

// Every request type at least once, with optional fields both present and absent.
std::vector<RequestExample> request_examples();
// Every pushed message type.
std::vector<Message> push_examples();
std::vector<Reply> reply_examples();

}  // namespace gamesched::ipc::test
