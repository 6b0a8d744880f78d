"""Generic lists of common first names (by gender) and family names for the demo data (`kompis demo`).

Common names in Latin transliteration, one list per language group; the demo combines them at random, so no
generated person is a real person's identity. Somali and Tigrinya naming is patronymic: the "family name" is
usually a (grand)father's first name, hence the male first names in those family-name lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameGroup:
    key: str
    mother_tongue: str  # ISO 639-1 code from kompis.participants.vocab.LANGUAGES
    women: tuple[str, ...]
    men: tuple[str, ...]
    family: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ARABIC = NameGroup(
    "arabic",
    "ar",
    women=_split("""
        Fatima Aisha Maryam Zainab Noor Amal Huda Rania Layla Samira Yasmin Hana Salma Dima Lina Rasha Reem
        Ghada Nour Sara Aya Rawan Asma Khadija Mona Nadia Hiba Shaima Souad Wafa Jana Lamia Ruqaya Dalia
        Inas Hayat Maysa Rahaf Batoul Iman
    """),
    men=_split("""
        Mohammed Ahmad Ali Omar Khaled Hassan Hussein Mahmoud Yousef Ibrahim Mustafa Abdullah Tariq Samir
        Karim Bilal Hamza Ammar Fadi Rami Nabil Walid Ziad Majid Adnan Basel Jamal Anas Firas Hadi Wael
        Qasim Saleh Mazen Ayman Osama Haider Raed Louay Nizar
    """),
    family=_split("""
        Al-Ahmad Haddad Khalil Saleh Hamdan Nasser Mansour Abbas Darwish Haidar Jaber Karimi Mahmoud Najjar
        Qassem Rahman Sabbagh Taha Youssef Zaki Al-Hassan Al-Khatib Al-Masri Al-Hussein Barakat Hamoud
        Habib Issa Kassab Marouf Obeid Sayegh Shami Suleiman Tamer Hijazi Halabi Farouk Othman Aziz
    """),
)

PERSIAN = NameGroup(
    "persian",
    "fa",
    women=_split("""
        Zahra Maryam Fatemeh Parisa Shirin Nasrin Leila Roya Mahsa Sahar Nazanin Yasaman Azadeh Elham Farzaneh
        Golnaz Homa Mina Niloofar Pari Shabnam Soraya Tahmineh Zohreh Arezoo Bahar Donya Fereshteh Hasti
        Marjan Negin Roshan Sima Setareh Tara Zarifa Freshta Mursal Mahbooba Nilofar
    """),
    men=_split("""
        Ali Reza Mohammad Hossein Mehdi Amir Hamid Javad Saeed Farhad Babak Kaveh Dariush Omid Peyman Navid
        Arash Behnam Ramin Sina Kian Majid Ahmad Mahmoud Nasir Jawad Rahim Karim Farid Wahid Sohrab Hamed
        Masoud Shahin Mostafa Yousuf Habib Bashir Khalid Zaher
    """),
    family=_split("""
        Ahmadi Hosseini Mohammadi Rezaei Karimi Rahimi Moradi Jafari Ghorbani Hashemi Mousavi Sadeghi Nazari
        Amini Akbari Azizi Bagheri Ebrahimi Farahani Habibi Kazemi Mahmoudi Najafi Rostami Sharifi Tehrani
        Yazdani Zamani Haidari Sultani Noori Popal Stanekzai Wardak Qaderi Rasuli Hakimi Safi Ansari Samadi
    """),
)

SOMALI = NameGroup(
    "somali",
    "so",
    women=_split("""
        Hodan Fadumo Ayaan Sahra Hawa Amina Nimco Sagal Ifrah Ubah Deeqa Filsan Hibo Idil Khadra Leyla Maryan
        Muna Naima Asli Farhiya Halima Istahil Kowsar Nasra Qamar Ruqiya Safiya Sucaad Warsan Yasmin Zamzam
        Ilhan Hamdi Anisa Faiza Raxma Shukri Sumaya Xaliimo
    """),
    men=_split("""
        Abdi Mohamed Ahmed Hassan Ali Omar Yusuf Abdirahman Abdullahi Ismail Mahad Liban Faisal Guled Hamza
        Ibrahim Jamal Khalid Mustafe Nuur Osman Said Salah Warsame Yonis Bashir Daud Farah Geedi Hussein
        Idris Jama Kaafi Muse Qasim Sharif Siyad Tahlil Xasan Zakariye
    """),
    family=_split("""
        Abdi Ahmed Ali Aden Farah Hassan Hussein Ismail Jama Mohamed Mohamud Nur Omar Osman Warsame Yusuf
        Dahir Egal Elmi Gedi Hersi Hirsi Ibrahim Jibril Kahin Mire Mohamoud Musse Noor Qalinle Roble Samatar
        Shire Sheikh Warfa Yasin Abdulle Barre Duale Guleed
    """),
)

TIGRINYA = NameGroup(
    "tigrinya",
    "ti",
    women=_split("""
        Helen Selam Senait Lidia Rahel Mebrat Tsega Hiwet Saba Feven Eden Luwam Miriam Yohana Ruta Winta
        Semhar Hanna Azieb Elsa Freweini Genet Kidan Letekidan Meaza Nebiat Abeba Almaz Danait Elilta Haben
        Merhawit Nardos Rigat Samrawit Semira Tirhas Yordanos Zufan Tsion
    """),
    men=_split("""
        Yonas Daniel Samuel Dawit Mussie Tesfay Berhane Habtom Kibrom Merhawi Robel Semere Tekle Tewelde
        Yohannes Amanuel Biniam Efrem Filmon Goitom Henok Isaias Kidane Mehari Mikael Natnael Okbay Petros
        Rezene Simon Solomon Teklit Tesfaldet Tsegay Weldu Yemane Zerai Abel Aron Haile
    """),
    family=_split("""
        Tesfay Berhe Gebremariam Tekle Haile Kidane Mehari Tsegay Weldemichael Yohannes Abraha Gebreyesus
        Ghebremedhin Habte Kahsay Mebrahtu Negash Okbazghi Russom Semere Tesfamariam Weldu Zerai Asfaha
        Bahta Debesay Fesehaye Gebru Hagos Kifle Measho Tewolde Woldu Yemane Andemariam Ghirmay Isaak
        Mengsteab Sium Teklezghi
    """),
)

UKRAINIAN = NameGroup(
    "ukrainian",
    "uk",
    women=_split("""
        Olena Iryna Oksana Natalia Tetiana Yulia Kateryna Anastasiia Olha Svitlana Mariia Viktoriia Daria
        Alina Anna Halyna Liudmyla Nadiia Larysa Inna Khrystyna Sofiia Valentyna Yana Zoriana Oleksandra
        Vira Tamara Diana Ivanna Lesia Myroslava Polina Roksolana Solomiia Uliana Veronika Yevheniia Zlata
        Lilia
    """),
    men=_split("""
        Oleksandr Andrii Serhii Dmytro Volodymyr Mykola Oleh Yurii Ivan Vasyl Taras Bohdan Maksym Artem
        Roman Vitalii Ihor Pavlo Petro Yaroslav Denys Mykhailo Anatolii Borys Danylo Fedir Hryhorii Kostiantyn
        Leonid Markiian Nazar Ostap Rostyslav Stepan Viktor Yevhen Zakhar Anton Illia Oleksii
    """),
    family=_split("""
        Melnyk Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Oliinyk Shevchuk Polishchuk Boiko
        Kovalchuk Lysenko Marchenko Moroz Petrenko Rudenko Savchenko Tkachuk Kozak Karpenko Kushnir Ponomarenko
        Vasylenko Pavlenko Levchenko Kharchenko Hrytsenko Ivanenko Zinchenko Sydorenko Yakovenko Didenko
        Honcharenko Kolomiiets Mazur Romaniuk Symonenko Fedorenko Danylenko Klymenko
    """),
)

KURDISH = NameGroup(
    "kurdish",
    "ku",
    women=_split("""
        Berfin Rojin Zilan Dilan Nishtiman Roza Shilan Jiyan Avin Helin Nazdar Sozdar Bahar Delal Evin Gulistan
        Hevi Jwan Kajal Lana Medya Newroz Perwin Rezan Silava Tavga Viyan Xezal Zhino Ala Berivan Dilvin
        Gulan Hana Narin Ronahi Sewsen Shno Shirin Zerya
    """),
    men=_split("""
        Azad Rebin Karwan Dilshad Hiwa Shwan Baran Aram Dara Kawa Rezgar Sherko Ari Bakhtiyar Goran Hemin
        Jamal Kamaran Lawand Nawzad Omed Peshraw Rebwar Saman Serwan Zana Ahmed Bawar Diyar Hogir Kardo Mirza
        Rekan Rezhin Sardar Soran Taha Zirak Aso Dler
    """),
    family=_split("""
        Ahmed Aziz Barzani Berwari Doski Faraj Goran Hama Hassan Jaf Kaka Karim Khoshnaw Mahmoud Mustafa
        Omar Qadir Rashid Salih Sherwani Talabani Zebari Amedi Baban Dizayi Hawrami Kurdi Mizuri Rekani
        Sindi Surchi Zaxoyi Bamarni Hakkari Mardini Hawezi Botan Ibrahim Rasul Shingali
    """),
)

BOSNIAN = NameGroup(
    "bosnian",
    "bs",
    women=_split("""
        Amra Lejla Selma Emina Amela Aida Alma Azra Dženana Edina Elma Emira Jasmina Lamija Medina Merima
        Mirela Nejra Sabina Sanela Senada Vildana Zerina Adna Belma Dijana Enisa Hana Ilma Maja Melisa Nadira
        Naida Ajla Sumeja Tijana Vesna Zana Dalila Berina
    """),
    men=_split("""
        Amir Adnan Edin Emir Haris Jasmin Kenan Mirza Nermin Samir Senad Tarik Almir Armin Benjamin Damir
        Dino Elvir Enes Faruk Harun Ismet Kemal Mehmed Muhamed Nedim Omer Refik Sead Suad Vedad Zlatan Alen
        Amel Denis Eldin Ermin Fikret Hamza Mustafa
    """),
    family=_split("""
        Hodžić Begić Delić Hadžić Hasanović Husić Imamović Jusić Kovačević Mehmedović Mujić Omerović
        Salihović Softić Suljić Zukić Alić Avdić Bešić Čolić Dedić Ferhatović Halilović Ibrahimović Kadić
        Karić Hrustić Merdanović Mustafić Nuhanović Osmanović Pašić Ramić Selimović Smajić Tahirović Vehabović
        Zahirović Bajrić Muratović
    """),
)

SWEDISH = NameGroup(
    "swedish",
    "sv",
    women=_split("""
        Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Ingrid Marie Malin Jenny Hanna Linda Annika
        Susanne Elin Johanna Sofia Ida Linnea Elsa Astrid Maja Ebba Klara Frida Helena Camilla Åsa Ulla
        Birgitta Margareta Gunilla Cecilia Therese Matilda Moa Alva
    """),
    men=_split("""
        Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Olof Gunnar Sven Fredrik Daniel Magnus
        Stefan Mattias Jonas Andreas Henrik Oskar William Axel Viktor Emil Gustav Filip Isak Hugo Ludvig
        Björn Göran Leif Ulf Torbjörn Jonathan Simon Anton
    """),
    family=_split("""
        Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson
        Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström Lindqvist Lindgren
        Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson Sandberg
        Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Holm Nyström Sundberg
    """),
)

FINNISH = NameGroup(
    "finnish",
    "fi",
    women=_split("""
        Aino Anneli Eeva Elina Hanna Heidi Helena Johanna Kaisa Katja Kirsi Laura Leena Liisa Maarit Minna
        Niina Outi Päivi Pirjo Riikka Ritva Sari Satu Seija Sirpa Tarja Tiina Tuula Ulla Hilkka Marjatta
        Emilia Venla Sanna Jaana Mervi Terhi Anu Irja
    """),
    men=_split("""
        Juha Jukka Matti Mikko Timo Antti Kari Pekka Jari Markku Heikki Hannu Ari Janne Petri Sami Tuomas
        Ville Jussi Lauri Eero Olli Risto Seppo Tapio Veikko Raimo Kalevi Aki Joni Toni Jarmo Esa Jyrki
        Aleksi Onni Eino Väinö Arto Harri
    """),
    family=_split("""
        Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen
        Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen
        Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen Hiltunen Lindholm Peltonen Kettunen
        Leinonen Hakala Aaltonen Vainio Seppälä Manninen
    """),
)

GROUPS: dict[str, NameGroup] = {
    group.key: group
    for group in (ARABIC, PERSIAN, SOMALI, TIGRINYA, UKRAINIAN, KURDISH, BOSNIAN, SWEDISH, FINNISH)
}
