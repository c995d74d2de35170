#include <iostream>
#include <mutex>
#include <thread>

std::mutex sensors;
std::mutex uplink;

int main() {
    std::thread a([] {
        std::lock_guard<std::mutex> s(sensors);
        std::lock_guard<std::mutex> u(uplink);  // sensors, then uplink
    });
    a.join();  // a has finished before b starts: this run cannot deadlock
    std::thread b([] {
        std::lock_guard<std::mutex> u(uplink);
        std::lock_guard<std::mutex> s(sensors);  // uplink, then sensors
    });
    b.join();
    std::cout << "finished without deadlock\n";
}
