#include <chrono>
#include <iostream>
#include <stop_token>
#include <thread>

int main() {
    {
        std::jthread logger([](std::stop_token stop) {
            while (!stop.stop_requested()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));  // one round of logging
            }
            std::cout << "logger: stop requested, exiting\n";
        });
        std::cout << "main: leaving the block\n";
    }  // ~jthread(): logger.request_stop(), then logger.join()
    std::cout << "main: the logger has been joined\n";
}
