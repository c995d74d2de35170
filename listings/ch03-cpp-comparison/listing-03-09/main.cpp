#include <iostream>
#include <stdexcept>
#include <thread>

int read_sensor() {
    throw std::runtime_error("sensor offline");
}

int main() {
    std::thread sampler([] {
        int value = read_sensor();  // the exception leaves the thread's function
        std::cout << "read " << value << '\n';
    });
    try {
        sampler.join();
    } catch (const std::exception& e) {  // never reached: join does not rethrow
        std::cout << "caught: " << e.what() << '\n';
    }
}
