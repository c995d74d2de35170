#include <chrono>
#include <iostream>
#include <string>
#include <syncstream>
#include <thread>

void tick(const std::string& name, int count) {
    for (int i = 1; i <= count; ++i) {
        // An osyncstream hands its whole line to std::cout at once.
        std::osyncstream(std::cout) << name << ": tick " << i << '\n';
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

int main() {
    std::thread sensor(tick, "sensor", 3);  // the arguments are copied into the thread
    std::thread uplink(tick, "uplink", 3);
    sensor.join();
    uplink.join();
    std::cout << "Both threads finished.\n";
}
