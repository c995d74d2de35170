#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

std::atomic<int> readings{0};  // every operation below is memory_order_seq_cst
std::atomic<int> bytes{0};

int main() {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([] {
            for (int i = 0; i < 10000; ++i) {
                readings++;  // readings.fetch_add(1), seq_cst
                bytes.fetch_add(8, std::memory_order_relaxed);  // an explicit, weaker order
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    std::cout << "readings = " << readings << ", bytes = " << bytes << '\n';
}
