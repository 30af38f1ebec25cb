// Stand-in for a launched program in the game-detection scenario: copied under the names Steam,
// Wine or a compiler would run, it ignores its arguments, starts a few threads (games have many)
// and lives for IDLE_SECONDS (default 6).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

int main() {
    const char* env = std::getenv("IDLE_SECONDS");
    int seconds = env != nullptr ? std::atoi(env) : 6;
    std::vector<std::jthread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([seconds] { std::this_thread::sleep_for(std::chrono::seconds(seconds)); });
    }
    return 0;
}
