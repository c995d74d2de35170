#include <iostream>
#include <thread>

void add_reading(int& total) {
    total += 42;
}

int main() {
    int total = 0;
    std::thread worker(add_reading, total);  // std::thread stores a copy of total
    worker.join();
    std::cout << "total = " << total << '\n';
}
