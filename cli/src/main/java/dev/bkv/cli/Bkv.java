package dev.bkv.cli;

/** Entry point of the {@code bkv} command. */
public final class Bkv {
  private Bkv() {}

  public static void main(String[] args) {
    System.out.println("bkv");
  }
}
