#include <iostream>
#include <latch>
#include <thread>

// Starts a thread that averages this function's calibration table, and returns it.
std::thread start_calibration(std::latch& go) {
    int table[3] = {3, 1, 4};
    return std::thread([&] {
        go.wait();  // runs only after start_calibration has returned
        int sum = table[0] + table[1] + table[2];  // table is gone: its frame was popped
        std::cout << "average: " << sum / 3 << '\n';
    });
}

int main() {
    std::latch go(1);
    std::thread worker = start_calibration(go);
    go.count_down();  // start_calibration's frame no longer exists
    worker.join();
}
