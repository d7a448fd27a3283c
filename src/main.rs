fn main() {
    println!("licpack: under construction");
}
