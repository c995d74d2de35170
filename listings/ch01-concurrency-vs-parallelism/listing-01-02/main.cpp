#include <iostream>
#include <thread>
#include <vector>

int main() {
    int counter = 0;  // shared by all four threads, protected by nothing

    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counter] {
            for (int i = 0; i < 100000; ++i) {
                ++counter;  // load, add one, store: three steps, not one
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }

    std::cout << "counter = " << counter << '\n';
}
