#include <functional>
#include <iostream>
#include <thread>

void add_reading(int& total) {
    total += 42;
}

int main() {
    int total = 0;
    std::thread worker(add_reading, std::ref(total));  // a reference, on purpose
    worker.join();
    std::cout << "total = " << total << '\n';
}
